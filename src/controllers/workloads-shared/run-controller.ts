// The run loop every workload controller shares: start informers, wait for
// their caches, run workers until the signal aborts, then drain.
import { runWorkers } from '../../client/controller.js';
import type { RateLimitingQueue } from '../../client/work-queue.js';
import type { ControllerContext } from '../types.js';

export async function runController(ctx: ControllerContext, name: string, queue: RateLimitingQueue<string>, reconcile: (key: string) => Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  ctx.informers.start();
  await ctx.informers.waitForCacheSync();
  const log = ctx.logger.child({ controller: name });
  const workers = runWorkers(queue, ctx.options.workers ?? 2, reconcile, { onError: (key, err) => log.warn('reconcile failed', { key, err }) });
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  queue.shutDown();
  await workers;
}
