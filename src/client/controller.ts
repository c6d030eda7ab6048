// Runs reconcile workers over a queue: a failure requeues the key with
// backoff, a success forgets its history.
import type { RateLimitingQueue } from './work-queue.js';

export interface RunWorkersOptions {
  onError?: (key: string, err: unknown) => void;
  /** Give up requeueing a key after this many failures (default: never). */
  maxRetries?: number;
}

/** Starts `n` workers; resolves when the queue is shut down and they have all exited. */
export async function runWorkers(
  queue: RateLimitingQueue<string>,
  n: number,
  reconcile: (key: string) => Promise<void>,
  opts: RunWorkersOptions = {},
): Promise<void> {
  const worker = async () => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        await reconcile(key);
        queue.forget(key);
      } catch (err) {
        opts.onError?.(key, err);
        if (opts.maxRetries !== undefined && queue.numRequeues(key) >= opts.maxRetries) queue.forget(key);
        else queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}
