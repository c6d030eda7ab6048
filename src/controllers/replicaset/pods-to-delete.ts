// Which surplus pods a ReplicaSet deletes first, ranked by the same criteria
// and in the same order as upstream's ActivePodsWithRanks: the pods whose loss
// hurts least go first.
import type { Pod } from '../../client/types.js';
import { isPodActive, isPodReady, maxContainerRestarts, podReadyTime } from './pod-status.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The annotation's int32 value; absent or malformed counts as 0. */
export function podDeletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v.trim());
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : 0;
}

/** Buckets an age by powers of two (of nanoseconds, as upstream), so near-equal ages tie. */
function logRank(t: number, nowMs: number): number {
  const d = (nowMs - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Upstream's afterOrZero: a missing time sorts first, then the later time. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

function compareTimes(a: number | undefined, b: number | undefined, pa: Pod, pb: Pod, nowMs: number): boolean {
  if (a === undefined || b === undefined) return afterOrZero(a, b);
  const diff = logRank(a, nowMs) - logRank(b, nowMs);
  if (diff === 0) return (pa.metadata.uid ?? '') < (pb.metadata.uid ?? '');
  return diff < 0;
}

const created = (p: Pod): number | undefined => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : undefined);

export interface RankedPod {
  pod: Pod;
  /** How many related active pods share its node (doubled-up pods go first). */
  rank: number;
}

/** True when `i` should be deleted before `j`. */
export function deletesBefore(i: RankedPod, j: RankedPod, nowMs: number): boolean {
  const pi = i.pod;
  const pj = j.pod;
  const ni = pi.spec?.nodeName ?? '';
  const nj = pj.spec?.nodeName ?? '';
  // 1. Unassigned < assigned.
  if (ni !== nj && (ni === '' || nj === '')) return ni === '';
  // 2. Pending < Unknown < Running.
  const oi = PHASE_ORDINAL[pi.status?.phase ?? ''] ?? 0;
  const oj = PHASE_ORDINAL[pj.status?.phase ?? ''] ?? 0;
  if (oi !== oj) return oi < oj;
  // 3. Not ready < ready.
  const ri = isPodReady(pi);
  const rj = isPodReady(pj);
  if (ri !== rj) return !ri;
  // 4. Lower deletion cost < higher.
  const ci = podDeletionCost(pi);
  const cj = podDeletionCost(pj);
  if (ci !== cj) return ci < cj;
  // 5. More related pods on the same node < fewer.
  if (i.rank !== j.rank) return i.rank > j.rank;
  // 6. Ready for a shorter time < longer.
  if (ri && rj) {
    const ti = podReadyTime(pi);
    const tj = podReadyTime(pj);
    if (ti !== tj) return compareTimes(ti, tj, pi, pj, nowMs);
  }
  // 7. More container restarts < fewer.
  const xi = maxContainerRestarts(pi);
  const xj = maxContainerRestarts(pj);
  if (xi.regular !== xj.regular) return xi.regular > xj.regular;
  if (xi.sidecar !== xj.sidecar) return xi.sidecar > xj.sidecar;
  // 8. Newer < older.
  const ki = created(pi);
  const kj = created(pj);
  if (ki !== kj) return compareTimes(ki, kj, pi, pj, nowMs);
  return false;
}

/**
 * The `count` pods of `pods` to delete. `related` are the active pods of the
 * controller's whole family (e.g. all ReplicaSets of one Deployment); they
 * decide how crowded each node is.
 */
export function podsToDelete(pods: Pod[], related: Pod[], count: number, nowMs: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node && isPodActive(p)) onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => {
    const node = pod.spec?.nodeName;
    return { pod, rank: node ? (onNode.get(node) ?? 0) : 0 };
  });
  ranked.sort((a, b) => (deletesBefore(a, b, nowMs) ? -1 : deletesBefore(b, a, nowMs) ? 1 : 0));
  return ranked.slice(0, count).map((r) => r.pod);
}
