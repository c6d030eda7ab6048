// When a finished Job with ttlSecondsAfterFinished is due for deletion.
import type { BatchJob } from '../job/types.js';

/** The finish time: the Complete/Failed condition's transition time (completionTime as a fallback). */
export function finishedAtMs(job: BatchJob): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? job.status?.completionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** ms until the job should be deleted (<= 0: now); undefined when it never expires (yet). */
export function timeLeftMs(job: BatchJob, nowMs: number): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const finished = finishedAtMs(job);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - nowMs;
}
