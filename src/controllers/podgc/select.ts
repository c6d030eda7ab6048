// Pure choices of the pod garbage collector: which terminated pods go when
// there are too many, which pods are orphaned, which are unscheduled and
// terminating.
import type { Pod } from '../../client/types.js';

export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12500;

export function isTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== undefined && phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

const isEvicted = (p: Pod) => p.status?.reason === 'Evicted';
const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;

/** The terminated pods over `threshold`: evicted ones first, then the oldest. */
export function terminatedOverThreshold(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  terminated.sort((a, b) => Number(isEvicted(b)) - Number(isEvicted(a)) || created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return terminated.slice(0, excess);
}

/** Pods bound to a node that is not (known to be) there. */
export function boundToMissingNodes(pods: readonly Pod[], nodeExists: (name: string) => boolean): Pod[] {
  return pods.filter((p) => !!p.spec?.nodeName && !nodeExists(p.spec.nodeName));
}

export function unscheduledTerminating(pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => !p.spec?.nodeName && !!p.metadata.deletionTimestamp);
}
