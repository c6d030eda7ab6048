// The loop shared by queue-driven controllers: start the shared informers,
// wait for their caches, run an optional start-up step, then run workers
// until the signal aborts.
import { runWorkers } from '../client/controller.js';
import type { RateLimitingQueue } from '../client/work-queue.js';
import type { ControllerContext } from './types.js';

export interface KeyedControllerSpec {
  ctx: ControllerContext;
  name: string;
  queue: RateLimitingQueue<string>;
  reconcile(key: string): Promise<void>;
  /** Runs once the caches are synced, before any worker (e.g. rebuild in-memory state). */
  beforeWorkers?(): Promise<void> | void;
  workers?: number;
}

export async function runKeyedController(spec: KeyedControllerSpec, signal: AbortSignal): Promise<void> {
  const { ctx, queue } = spec;
  const stop = () => queue.shutDown();
  if (signal.aborted) return stop();
  signal.addEventListener('abort', stop, { once: true });
  ctx.informers.start();
  await ctx.informers.waitForCacheSync();
  if (signal.aborted) return;
  await spec.beforeWorkers?.();
  const logger = ctx.logger.child({ controller: spec.name });
  logger.debug('starting workers');
  await runWorkers(queue, spec.workers ?? ctx.options.workers ?? 2, spec.reconcile, {
    onError: (key, err) => logger.warn('reconcile failed', { key, err: err instanceof Error ? err.message : String(err) }),
  });
}
