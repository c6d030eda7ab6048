// Creates in growing batches (1, 2, 4, ...), stopping at the first batch with
// a failure, so a quota or admission error costs one call rather than
// hundreds, as upstream's slowStartBatch.
export const SLOW_START_INITIAL_BATCH = 1;

/** Runs `fn` for items in batches; returns how many succeeded and the first error, if any. */
export async function slowStartBatch<T>(items: T[], fn: (item: T) => Promise<void>, initial = SLOW_START_INITIAL_BATCH): Promise<{ succeeded: number; skipped: number; error?: unknown }> {
  let done = 0;
  for (let size = Math.max(1, initial); done < items.length; size *= 2) {
    const batch = items.slice(done, done + size);
    const results = await Promise.allSettled(batch.map(fn));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    done += batch.length;
    if (failed.length > 0) return { succeeded: done - failed.length, skipped: items.length - done, error: failed[0]!.reason };
  }
  return { succeeded: done, skipped: 0 };
}
