// Pod state as the workload controllers judge it: active, ready, available.
import type { Condition, Pod } from '../../client/types.js';

export interface ContainerStatus {
  name?: string;
  restartCount?: number;
  [k: string]: unknown;
}

/** Not finished and not being deleted: counts towards a controller's replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function podReadyCondition(pod: Pod): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod became ready (ms since epoch), if it is ready and says so. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** Ready for at least minReadySeconds (upstream: strictly more than, unless 0). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 < nowMs;
}

/** Highest restart count of the regular containers, and of the restartable (sidecar) init containers. */
export function maxContainerRestarts(pod: Pod): { regular: number; sidecar: number } {
  const statuses = (v: unknown): ContainerStatus[] => (Array.isArray(v) ? (v as ContainerStatus[]) : []);
  const regular = Math.max(0, ...statuses(pod.status?.containerStatuses).map((s) => s.restartCount ?? 0));
  const sidecarNames = new Set(
    (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  );
  const sidecar = Math.max(0, ...statuses(pod.status?.initContainerStatuses).filter((s) => s.name !== undefined && sidecarNames.has(s.name)).map((s) => s.restartCount ?? 0));
  return { regular, sidecar };
}
