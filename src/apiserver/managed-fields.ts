// managedFields on every write, and server-side apply (application/apply-patch+yaml).
import { applyConflictError, applyServerSide, FieldSet, fieldElement, trackUpdate, type ListKeys } from '../api/apply/index.js';
import { CreateShapeCache } from '../api/apply/create-shape-cache.js';
import type { KubeObject } from '../api/meta.js';
import { patchMetaFor } from '../api/patch/index.js';
import { decodeBody } from './codec.js';
import { validateFields } from './field-validation.js';
import { gv, type ResourceInfo } from './registry/resource-info.js';
import type { RequestContext } from './rest/context.js';
import { asKubeObject, isObject, rfc3339, updateObject, type UpdateResult, type WriteOptions } from './rest/objects.js';
import { present, toStored } from './rest/handlers.js';
import { badRequest } from './status.js';

/** List semantics from the strategic-merge table: the same facts upstream's OpenAPI carries. */
export function listKeysFor(apiVersion: string, kind: string): ListKeys {
  const meta = patchMetaFor(apiVersion, kind);
  return (path) => {
    if (!meta) return undefined;
    const names = path.filter((p) => p !== '[]');
    const f = meta.lookup(names);
    if (f.listType === 'map' && f.listMapKeys?.length) return { type: 'map', keys: [...f.listMapKeys] };
    if (f.mergeKey) return { type: 'map', keys: [f.mergeKey] };
    if (f.listType === 'set' || (f.strategy?.includes('merge') && !f.type)) return { type: 'set' };
    if (f.listType === 'atomic') return { type: 'atomic' };
    return undefined;
  };
}

/** Who is writing: ?fieldManager=, else derived from the user agent as upstream does (kubectl-edit, ...). */
export function fieldManager(ctx: RequestContext, fallback: string): string {
  const q = ctx.query.get('fieldManager');
  if (q !== null) {
    if (q.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return q;
  }
  const ua = String(ctx.headers['user-agent'] ?? '');
  const base = ua.split('/')[0] ?? '';
  const command = String(ctx.headers['kubectl-command'] ?? '').replace(/^kubectl /, '').split(' ')[0];
  if (base.startsWith('kubectl') && command) return `kubectl-${command}`;
  return base || fallback;
}

/** Fields the subresource does not own: status on the main resource, everything else on /status. */
function ignoredFor(r: ResourceInfo, status: boolean): FieldSet | undefined {
  if (!r.subresources.some((s) => s.name === 'status')) return undefined;
  return FieldSet.of([fieldElement(status ? 'spec' : 'status')]);
}

const CREATE_SHAPES = new CreateShapeCache();

/** The WriteOptions hook that records an Update entry for `manager` in managedFields. */
export function tracking(ctx: RequestContext, manager: string, status = false): Pick<WriteOptions, 'beforeValidate'> {
  const r = ctx.resource;
  const apiVersion = gv(r, ctx.version);
  return {
    beforeValidate: (obj, old) => {
      const now = rfc3339(ctx.core.clock.now());
      const track = () =>
        (
          trackUpdate({
            old: old ?? null,
            updated: obj,
            manager,
            apiVersion,
            listKeys: listKeysFor(apiVersion, r.kind),
            now,
            subresource: status ? 'status' : undefined,
            ignored: ignoredFor(r, status),
          }) as KubeObject
        ).metadata.managedFields;
      // A create that brings no managedFields of its own: the same shape gets the same entry.
      const fresh = !old && obj.metadata.managedFields === undefined;
      obj.metadata.managedFields = fresh ? (CREATE_SHAPES.managedFields(`${apiVersion}/${r.resource}/${status}/${manager}`, obj, now, track) as KubeObject['metadata']['managedFields']) : track();
      if (obj.metadata.managedFields === undefined) delete obj.metadata.managedFields;
    },
  };
}

export async function serverSideApply(ctx: RequestContext, status: boolean, dryRun: boolean): Promise<UpdateResult> {
  const r = ctx.resource;
  const manager = ctx.query.get('fieldManager');
  if (!manager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  const force = ctx.query.get('force') === 'true';
  const applied = decodeBody(ctx.headers['content-type'], ctx.body!);
  if (!isObject(applied)) throw badRequest('apply patch must be an object');
  const apiVersion = gv(r, ctx.version);
  const appliedObj = asKubeObject(applied, r, ctx.version);
  validateFields(ctx, appliedObj, { style: 'apply' });
  const listKeys = listKeysFor(apiVersion, r.kind);
  const now = rfc3339(ctx.core.clock.now());
  return updateObject(ctx.core, ctx.stored, ctx.info.namespace, ctx.info.name, {
    createIfMissing: true,
    status,
    mutate: (current) => {
      const result = applyServerSide({
        current: current ? present(ctx, current) : null,
        applied: structuredClone(appliedObj),
        manager,
        force,
        apiVersion,
        listKeys,
        now,
        subresource: status ? 'status' : undefined,
        ignored: ignoredFor(r, status),
      });
      if ('conflicts' in result) throw applyConflictError(result.conflicts);
      const obj = toStored(ctx, result.object as KubeObject);
      if (current) obj.metadata.resourceVersion = undefined;
      return obj;
    },
  }, { dryRun, user: ctx.user });
}

