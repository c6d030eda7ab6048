// Pod garbage collection, on a timer: deletes terminated pods beyond the
// threshold, pods bound to nodes that no longer exist (after marking them
// Failed with a DisruptionTarget condition), and unscheduled pods stuck
// terminating.
import { isNotFound } from '../../client/errors.js';
import { RESOURCES } from '../../client/resources.js';
import type { Node, Pod } from '../../client/types.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { boundToMissingNodes, DEFAULT_TERMINATED_POD_GC_THRESHOLD, isTerminated, terminatedOverThreshold, unscheduledTerminating } from './select.js';
import { rfc3339 } from '../../api/time.js';

export const DEFAULT_POD_GC_PERIOD_SECONDS = 20;
export const POD_GC_REASON = 'DeletionByPodGC';

export const podGcController: ControllerFactory = (ctx: ControllerContext): Controller => {
  const name = 'podgc';
  const logger = ctx.logger.child({ controller: name });
  const pods = ctx.informers.informer<Pod>(RESOURCES.pods);
  const nodes = ctx.informers.informer<Node>(RESOURCES.nodes);
  const threshold = ctx.options.terminatedPodGcThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
  const periodMs = (ctx.options.podGcPeriodSeconds ?? DEFAULT_POD_GC_PERIOD_SECONDS) * 1000;

  async function forceDelete(pod: Pod): Promise<void> {
    try {
      await ctx.client.pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      logger.info('deleted pod', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
    } catch (err) {
      if (!isNotFound(err)) logger.warn('pod gc delete failed', { pod: pod.metadata.name, err: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The informer can lag: ask the API server before treating a node as gone. */
  async function nodeGone(nodeName: string): Promise<boolean> {
    try {
      await ctx.client.nodes.get(undefined, nodeName);
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  }

  async function markFailedAndDelete(pod: Pod): Promise<void> {
    if (!isTerminated(pod)) {
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({ type: 'DisruptionTarget', status: 'True', reason: POD_GC_REASON, message: 'PodGC: node no longer exists', lastTransitionTime: rfc3339(ctx.clock.now()) });
      try {
        await ctx.client.pods.updateStatus({ ...pod, status: { ...pod.status, phase: 'Failed', conditions } });
      } catch (err) {
        if (isNotFound(err)) return;
        logger.debug('could not mark pod failed', { pod: pod.metadata.name, err: err instanceof Error ? err.message : String(err) });
      }
    }
    await forceDelete(pod);
  }

  async function collect(): Promise<void> {
    const all = pods.store.list();
    for (const p of terminatedOverThreshold(all, threshold)) await forceDelete(p);
    const missing = new Map<string, boolean>();
    for (const p of boundToMissingNodes(all, (n) => nodes.store.get(n) !== undefined)) {
      const node = p.spec!.nodeName!;
      if (!missing.has(node)) missing.set(node, await nodeGone(node));
      if (missing.get(node)) await markFailedAndDelete(p);
    }
    for (const p of unscheduledTerminating(all)) await forceDelete(p);
  }

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        ctx.clock.clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = ctx.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });

  return {
    name,
    async run(signal) {
      ctx.informers.start();
      await ctx.informers.waitForCacheSync();
      while (!signal.aborted) {
        try {
          await collect();
        } catch (err) {
          logger.warn('pod gc pass failed', { err: err instanceof Error ? err.message : String(err) });
        }
        await sleep(periodMs, signal);
      }
    },
  };
};
