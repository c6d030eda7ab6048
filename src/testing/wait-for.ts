// Polls a condition until it holds or a deadline passes; for integration
// tests whose controllers converge asynchronously. The deadline is stretched
// by the host's TEST_TIME_SCALE (see time-scale.ts).
import { scaled } from './time-scale.js';

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Resolves with the first truthy value `fn` returns (errors count as "not
 * yet"); rejects with the last error or value seen after `timeoutMs`. Between
 * checks it waits `intervalMs`, or as long as the last check took if longer.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutOrOptions: number | { timeoutMs?: number; what?: string; intervalMs?: number } = 10_000,
  whatArg = 'condition',
  intervalArg = 25,
): Promise<NonNullable<T>> {
  const o = typeof timeoutOrOptions === 'number' ? { timeoutMs: timeoutOrOptions, what: whatArg, intervalMs: intervalArg } : timeoutOrOptions;
  const timeoutMs = scaled(o.timeoutMs ?? 10_000);
  const what = o.what ?? 'condition';
  const intervalMs = o.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const started = Date.now();
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    // A check that spawns a process (kubectl) costs CPU that the system under
    // test needs to converge: rest at least as long as the check took.
    await new Promise((r) => setTimeout(r, Math.max(intervalMs, Date.now() - started)));
  }
}
