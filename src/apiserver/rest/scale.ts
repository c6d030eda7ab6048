// The scale subresource: an autoscaling/v1 Scale view of spec.replicas.
import type { KubeObject } from '../../api/meta.js';
import { selectorToString, labelSelectorFromObject } from '../../api/labels.js';
import { decodeBody, mediaType } from '../codec.js';
import { applyMergePatch } from '../../api/patch/merge-patch.js';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import { send } from '../respond.js';
import { badRequest, staleConflict, unsupportedMediaType } from '../status.js';
import type { RequestContext } from './context.js';
import { getObject, isObject, updateObject } from './objects.js';
import type { ServerResponse } from 'node:http';

interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: Record<string, unknown>;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

export function toScale(obj: KubeObject): Scale {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const m = obj.metadata;
  const scale: Scale = {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0 },
  };
  if (isObject(spec.selector)) scale.status.selector = selectorToString(labelSelectorFromObject(spec.selector));
  return scale;
}

export async function handleScale(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const { core, resource: r, info } = ctx;
  if (info.verb === 'get') return send(res, 200, toScale(await getObject(core, r, info.namespace, info.name)), ctx.format);
  if (info.verb !== 'update' && info.verb !== 'patch') throw badRequest(`${info.verb} is not supported on scale`);
  const type = mediaType(ctx.headers['content-type']);
  const body = decodeBody(type, ctx.body!);
  const { object } = await updateObject(core, r, info.namespace, info.name, {
    mutate: (current) => {
      const scale = toScale(current!);
      let next: unknown;
      if (info.verb === 'update') next = body;
      else if (type === 'application/json-patch+json') next = applyJsonPatch(scale, body);
      else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') next = applyMergePatch(scale, body);
      else throw unsupportedMediaType(type);
      if (!isObject(next) || !isObject(next.spec)) throw badRequest('Scale.spec is required');
      const meta = (next.metadata ?? {}) as { resourceVersion?: string };
      if (meta.resourceVersion && meta.resourceVersion !== current!.metadata.resourceVersion) throw staleConflict(r, info.name);
      const replicas = next.spec.replicas;
      if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) throw badRequest('spec.replicas must be an integer');
      const obj = current!;
      obj.spec = { ...(obj.spec as object), replicas: replicas ?? 0 };
      delete obj.metadata.resourceVersion;
      return obj;
    },
  }, { user: ctx.user });
  send(res, 200, toScale(object), ctx.format);
}
