// PATCH: JSON patch, merge patch, strategic merge patch and server-side apply.
import type { KubeObject } from '../../api/meta.js';
import { applyPatch, isPatchContentType, isPatchError } from '../../api/patch/index.js';
import { decodeBody, mediaType } from '../codec.js';
import { validateFields } from '../field-validation.js';
import { fieldManager, serverSideApply, tracking } from '../managed-fields.js';
import { gv } from '../registry/resource-info.js';
import { ApiError, unsupportedMediaType } from '../status.js';
import type { RequestContext } from './context.js';
import { asKubeObject, updateObject, type UpdateResult } from './objects.js';
import { present, toStored } from './handlers.js';

const APPLY_PATCH = 'application/apply-patch+yaml';

export function patchFailed(err: unknown): ApiError {
  if (isPatchError(err)) {
    const reason = err.status === 422 ? 'Invalid' : err.status === 415 ? 'UnsupportedMediaType' : err.status === 500 ? 'InternalError' : 'BadRequest';
    return new ApiError(err.status, reason, err.message);
  }
  return new ApiError(400, 'BadRequest', (err as Error).message);
}

export async function applyPatchRequest(ctx: RequestContext, status: boolean, dryRun: boolean): Promise<UpdateResult> {
  const r = ctx.resource;
  const type = mediaType(ctx.headers['content-type']);
  if (type === APPLY_PATCH) return serverSideApply(ctx, status, dryRun);
  if (!isPatchContentType(type)) throw unsupportedMediaType(type);
  const patch = decodeBody(type, ctx.body!);
  const apiVersion = gv(r, ctx.version);
  return updateObject(ctx.core, ctx.stored, ctx.info.namespace, ctx.info.name, {
    status,
    mutate: (current) => {
      let patched: unknown;
      try {
        // Custom resources have no strategic-merge metadata: upstream answers 415 for them.
        patched = applyPatch(type, present(ctx, current!), patch, { apiVersion, kind: r.kind });
      } catch (err) {
        throw patchFailed(err);
      }
      const obj = asKubeObject(patched, r, ctx.version) as KubeObject;
      validateFields(ctx, obj);
      return toStored(ctx, obj);
    },
  }, { dryRun, user: ctx.user, ...tracking(ctx, fieldManager(ctx, 'unknown'), status) });
}
