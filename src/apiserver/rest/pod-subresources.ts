// pods/binding (the scheduler's write) and pods/eviction (drain, with PodDisruptionBudgets).
import type { ServerResponse } from 'node:http';
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import { decodeBody } from '../codec.js';
import { resourcePrefix } from '../registry/storage-codec.js';
import { send } from '../respond.js';
import { ApiError, badRequest, conflict, successStatus } from '../status.js';
import type { ApiCore, RequestContext } from './context.js';
import { deleteObject, getObject, isObject, rfc3339, updateObject } from './objects.js';

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export async function handleBinding(ctx: RequestContext, res: ServerResponse): Promise<void> {
  if (ctx.info.verb !== 'create') throw badRequest('binding only supports create');
  const body = decodeBody(ctx.headers['content-type'], ctx.body!);
  if (!isObject(body) || !isObject(body.target) || typeof body.target.name !== 'string' || !body.target.name) {
    throw badRequest('Binding.target.name is required');
  }
  const node = body.target.name;
  const name = ctx.info.name;
  await updateObject(ctx.core, ctx.resource, ctx.info.namespace, name, {
    mutate: (pod) => {
      const p = pod!;
      const spec = (p.spec ?? {}) as { nodeName?: string };
      if (p.metadata.deletionTimestamp) throw conflict(ctx.resource, name, 'pod is being deleted, cannot be assigned to a host');
      if (spec.nodeName) throw conflict(ctx.resource, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
      spec.nodeName = node;
      p.spec = spec;
      const status = (p.status ?? {}) as { conditions?: PodCondition[] };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.core.clock.now()) });
      p.status = { ...status, conditions };
      delete p.metadata.resourceVersion;
      return p;
    },
    internal: true,
  }, { user: ctx.user });
  send(res, 201, successStatus(), ctx.format);
}

interface Pdb {
  metadata: KubeObject['metadata'];
  spec?: { selector?: unknown };
  status?: { disruptionsAllowed?: number; observedGeneration?: number };
}

async function matchingBudgets(core: ApiCore, pod: KubeObject): Promise<Pdb[]> {
  const pdbs = core.registry.resolve('policy', 'v1', 'poddisruptionbudgets')!.info;
  const cache = core.cacheFor(pdbs);
  await cache.whenReady();
  const { items } = cache.list(resourcePrefix(pdbs, pod.metadata.namespace), () => true);
  return items
    .map((i) => i.object as unknown as Pdb)
    .filter((pdb) => {
      const sel = labelSelectorFromObject((pdb.spec?.selector ?? null) as never);
      return matchesLabels(sel, pod.metadata.labels);
    });
}

export async function handleEviction(ctx: RequestContext, res: ServerResponse): Promise<void> {
  if (ctx.info.verb !== 'create') throw badRequest('eviction only supports create');
  const body = decodeBody(ctx.headers['content-type'], ctx.body!);
  if (!isObject(body)) throw badRequest('Eviction must be an object');
  const core = ctx.core;
  const { namespace, name } = ctx.info;
  const pods = ctx.resource;
  const pod = await getObject(core, pods, namespace, name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const terminal = phase === 'Succeeded' || phase === 'Failed' || !!pod.metadata.deletionTimestamp;
  if (!terminal) {
    const budgets = await matchingBudgets(core, pod);
    if (budgets.length > 1) throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = budgets[0];
    if (pdb) {
      const pdbRes = core.registry.resolve('policy', 'v1', 'poddisruptionbudgets')!.info;
      await updateObject(core, pdbRes, namespace, pdb.metadata.name!, {
        status: true,
        mutate: (cur) => {
          const st = (cur!.status ?? {}) as { disruptionsAllowed?: number };
          if ((st.disruptionsAllowed ?? 0) <= 0) {
            throw new ApiError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
              causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${0} healthy pods and has ${0} currently` }],
            });
          }
          cur!.status = { ...st, disruptionsAllowed: (st.disruptionsAllowed ?? 0) - 1 };
          delete cur!.metadata.resourceVersion;
          return cur!;
        },
      }, { user: ctx.user });
    }
  }
  const opts = isObject(body.deleteOptions) ? body.deleteOptions : {};
  await deleteObject(core, pods, namespace, name, {
    gracePeriodSeconds: typeof opts.gracePeriodSeconds === 'number' ? opts.gracePeriodSeconds : undefined,
    user: ctx.user,
  });
  send(res, 201, successStatus(), ctx.format);
}
