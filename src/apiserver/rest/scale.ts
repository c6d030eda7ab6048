// The scale subresource: an autoscaling/v1 Scale view of spec.replicas.
import type { KubeObject } from '../../api/meta.js';
import { selectorToString, labelSelectorFromObject } from '../../api/labels.js';
import { decodeBody, mediaType } from '../codec.js';
import { applyJsonPatch, applyMergePatch } from '../../api/patch/index.js';
import { send } from '../respond.js';
import { ApiError, badRequest, staleConflict, unsupportedMediaType } from '../status.js';
import { patchFailed } from './patch.js';
import { fieldManager, tracking } from '../managed-fields.js';
import type { RequestContext } from './context.js';
import { getObject, isObject, updateObject } from './objects.js';
import type { ServerResponse } from 'node:http';
import { crdVersionInfo, type ScalePaths } from '../crd/crd-info.js';
import type { ResourceInfo } from '../registry/resource-info.js';

interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: Record<string, unknown>;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

const BUILTIN_PATHS: ScalePaths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

function pathParts(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of pathParts(path)) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = pathParts(path);
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!isObject(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Where replicas live: upstream's fixed fields for built-ins, the CRD's paths for custom resources. */
function scalePaths(r: ResourceInfo, obj: KubeObject): ScalePaths {
  if (!r.crd) return BUILTIN_PATHS;
  const version = String(obj.apiVersion ?? r.version).split('/').pop()!;
  return crdVersionInfo(r, version)?.scale ?? BUILTIN_PATHS;
}

export function toScale(r: ResourceInfo, obj: KubeObject): Scale {
  const paths = scalePaths(r, obj);
  const m = obj.metadata;
  const replicas = readPath(obj, paths.specReplicasPath);
  const scale: Scale = {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: typeof replicas === 'number' ? replicas : 0 },
    status: { replicas: Number(readPath(obj, paths.statusReplicasPath) ?? 0) },
  };
  if (paths.labelSelectorPath) {
    const sel = readPath(obj, paths.labelSelectorPath);
    if (typeof sel === 'string') scale.status.selector = sel;
  } else {
    const sel = (obj.spec as { selector?: unknown } | undefined)?.selector;
    if (isObject(sel)) scale.status.selector = selectorToString(labelSelectorFromObject(sel));
  }
  return scale;
}

export async function handleScale(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const { core, resource: r, info } = ctx;
  if (info.verb === 'get') return send(res, 200, toScale(r, await getObject(core, r, info.namespace, info.name)), ctx.format);
  if (info.verb !== 'update' && info.verb !== 'patch') throw badRequest(`${info.verb} is not supported on scale`);
  const type = mediaType(ctx.headers['content-type']);
  const body = decodeBody(type, ctx.body!);
  const { object } = await updateObject(core, r, info.namespace, info.name, {
    mutate: (current) => {
      const scale = toScale(r, current!);
      let next: unknown;
      try {
        if (info.verb === 'update') next = body;
        else if (type === 'application/json-patch+json') next = applyJsonPatch(scale, body);
        else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') next = applyMergePatch(scale, body);
        else throw unsupportedMediaType(type);
      } catch (err) {
        throw err instanceof ApiError ? err : patchFailed(err);
      }
      if (!isObject(next) || !isObject(next.spec)) throw badRequest('Scale.spec is required');
      const meta = (next.metadata ?? {}) as { resourceVersion?: string };
      if (meta.resourceVersion && meta.resourceVersion !== current!.metadata.resourceVersion) throw staleConflict(r, info.name);
      const replicas = next.spec.replicas;
      if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) throw badRequest('spec.replicas must be an integer');
      const obj = current!;
      writePath(obj, scalePaths(r, obj).specReplicasPath, replicas ?? 0);
      delete obj.metadata.resourceVersion;
      return obj;
    },
  }, { user: ctx.user, ...tracking(ctx, fieldManager(ctx, 'unknown')) });
  send(res, 200, toScale(r, object), ctx.format);
}
