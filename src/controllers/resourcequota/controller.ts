// ResourceQuota status: keeps status.hard equal to spec.hard and status.used
// equal to what the namespace consumes, recomputed whenever a counted object
// in that namespace changes. Informers for counted kinds are started on
// first need and shared with the rest of the manager.
import { deepEqualJSON, type KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import type { SharedInformer } from '../../client/informer.js';
import { resourceKey, RESOURCES, type ResourceDescriptor } from '../../client/resources.js';
import { NAMESPACE_INDEX, objectKey } from '../../client/store.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import { runKeyedController } from '../keyed-controller.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { computeUsed, resourcesFor } from './usage.js';

interface ResourceQuota extends KubeObject {
  spec?: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export const resourceQuotaController: ControllerFactory = (ctx: ControllerContext): Controller => {
  const name = 'resourcequota';
  const quotas = ctx.informers.informer<ResourceQuota>(RESOURCES.resourcequotas);
  const client = ctx.client.resource<ResourceQuota>(RESOURCES.resourcequotas);
  const queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  const watched = new Map<string, SharedInformer>();
  const regs: { remove(): void }[] = [];

  const enqueueNamespace = (obj: KubeObject | undefined) => {
    const ns = obj?.metadata.namespace;
    if (!ns) return;
    for (const q of quotas.store.byIndex(NAMESPACE_INDEX, ns)) queue.add(objectKey(q));
  };

  /** The shared informer for `r`, with our namespace-requeue handler added once. */
  function informerFor(r: ResourceDescriptor): SharedInformer {
    const key = resourceKey(r);
    let inf = watched.get(key);
    if (!inf) {
      inf = ctx.informers.informer(r);
      watched.set(key, inf);
      const requeue = (o: unknown) => enqueueNamespace((o as { obj?: KubeObject }).obj ?? (o as KubeObject));
      regs.push(inf.addEventHandler({ onAdd: requeue, onUpdate: (_o, n) => requeue(n), onDelete: requeue }));
    }
    return inf;
  }

  async function reconcile(key: string): Promise<void> {
    const quota = quotas.store.get(key);
    if (!quota) return;
    const hard = quota.spec?.hard ?? {};
    const needed = resourcesFor(hard).map(informerFor);
    await Promise.all(needed.map((i) => i.waitForSync()));
    const ns = quota.metadata.namespace!;
    const used = computeUsed(hard, quota.spec?.scopes ?? [], {
      list: (r) => informerFor(r).store.byIndex(NAMESPACE_INDEX, ns),
    }, ctx.clock.now());
    const status = { hard: { ...hard }, used };
    if (deepEqualJSON(quota.status ?? {}, status)) return;
    try {
      await client.updateStatus({ ...quota, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return {
    name,
    async run(signal) {
      regs.push(
        quotas.addEventHandler({
          onAdd: (q) => queue.add(objectKey(q)),
          onUpdate: (o, q) => {
            if (!deepEqualJSON(o.spec, q.spec) || !deepEqualJSON(o.status, q.status)) queue.add(objectKey(q));
          },
        }),
      );
      // Pods change most often and count toward most quotas: watch them from the start.
      informerFor(RESOURCES.pods);
      try {
        await runKeyedController({ ctx, name, queue, reconcile }, signal);
      } finally {
        for (const r of regs.splice(0)) r.remove();
      }
    },
  };
};
