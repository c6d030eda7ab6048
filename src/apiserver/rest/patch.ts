// PATCH: JSON patch, merge patch, strategic merge patch and server-side apply.
import type { KubeObject } from '../../api/meta.js';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import { applyMergePatch } from '../../api/patch/merge-patch.js';
import { isPatchError } from '../../api/patch/errors.js';
import { decodeBody, mediaType } from '../codec.js';
import { gv } from '../registry/resource-info.js';
import { ApiError, badRequest, unsupportedMediaType } from '../status.js';
import type { RequestContext } from './context.js';
import { asKubeObject, updateObject, type UpdateResult } from './objects.js';

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function patchFailed(err: unknown): ApiError {
  if (isPatchError(err)) return new ApiError(err.status === 422 ? 422 : 400, err.status === 422 ? 'Invalid' : 'BadRequest', err.message);
  return badRequest((err as Error).message);
}

export async function applyPatchRequest(ctx: RequestContext, status: boolean, dryRun: boolean): Promise<UpdateResult> {
  const r = ctx.resource;
  const type = mediaType(ctx.headers['content-type']);
  if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type);
  const patch = decodeBody(type, ctx.body!);
  const apiVersion = gv(r, ctx.version);
  if (type === 'application/apply-patch+yaml') throw unsupportedMediaType(type);
  return updateObject(ctx.core, r, ctx.info.namespace, ctx.info.name, {
    status,
    mutate: (current) => {
      const base = { ...current!, apiVersion, kind: r.kind };
      let patched: unknown;
      try {
        if (type === 'application/json-patch+json') patched = applyJsonPatch(base, patch);
        else patched = applyMergePatch(base, patch);
      } catch (err) {
        throw patchFailed(err);
      }
      return asKubeObject(patched, r, ctx.version) as KubeObject;
    },
  }, { dryRun, user: ctx.user });
}
