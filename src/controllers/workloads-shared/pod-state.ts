// Pod state predicates the workload controllers share (as upstream's podutil).
import type { Condition, Pod } from '../../client/types.js';
import { rfc3339 } from '../../api/time.js';

export function podCondition(pod: Pod, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export const isPodReady = (pod: Pod): boolean => podCondition(pod, 'Ready')?.status === 'True';
export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp != null;
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isPodFinished = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
/** Not finished and not being deleted: counts toward a controller's replicas. */
export const isPodActive = (pod: Pod): boolean => !isPodFinished(pod) && !isTerminating(pod);

/**
 * Ready for at least `minReadySeconds` at `nowMs`. Returns the ms still to
 * wait when ready but not yet available (so callers can requeue), else 0.
 */
export function availabilityWait(pod: Pod, minReadySeconds: number, nowMs: number): { available: boolean; waitMs: number } {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return { available: false, waitMs: 0 };
  if (minReadySeconds <= 0) return { available: true, waitMs: 0 };
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  if (Number.isNaN(since)) return { available: false, waitMs: minReadySeconds * 1000 };
  const due = since + minReadySeconds * 1000;
  return due <= nowMs ? { available: true, waitMs: 0 } : { available: false, waitMs: due - nowMs };
}

export const isPodAvailable = (pod: Pod, minReadySeconds: number, nowMs: number): boolean => availabilityWait(pod, minReadySeconds, nowMs).available;

/** metav1.Time's wire form: RFC 3339 in UTC with whole seconds. */
export { rfc3339 };
