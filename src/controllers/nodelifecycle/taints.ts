// Taints and tolerations: matching, the taints a node's conditions call for,
// and how long a pod may stay on a node with NoExecute taints.

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  // An empty key is only valid with Exists; as Equal it matches nothing.
  return !!t.key && (t.value ?? '') === (taint.value ?? '');
}

interface NodeView {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Condition type → status → the NoSchedule taint it implies (upstream's TaintNodesByCondition). */
const NO_SCHEDULE_BY_CONDITION: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
};

/** The (key, effect) pairs this controller owns on every node. */
export const MANAGED_TAINTS: readonly string[] = [
  ...[TAINT_NOT_READY, TAINT_UNREACHABLE].map((k) => `${k}:NoExecute`),
  ...[TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_MEMORY_PRESSURE, TAINT_DISK_PRESSURE, TAINT_PID_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_UNSCHEDULABLE].map((k) => `${k}:NoSchedule`),
];

const taintId = (t: Taint) => `${t.key}:${t.effect}`;

/** The managed taints the node's conditions (and spec.unschedulable) call for. */
export function conditionTaints(node: NodeView): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = NO_SCHEDULE_BY_CONDITION[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute' });
  if (ready?.status === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' });
  return out;
}

/**
 * The node's taints with the managed ones made equal to `wanted`: others'
 * taints and the timeAdded of taints that stay are kept; new NoExecute
 * taints are stamped with `now`. Undefined when nothing changes.
 */
export function reconcileTaints(current: readonly Taint[], wanted: readonly Taint[], now: string): Taint[] | undefined {
  const managed = new Set(MANAGED_TAINTS);
  const wantedIds = new Set(wanted.map(taintId));
  const kept = current.filter((t) => !managed.has(taintId(t)) || wantedIds.has(taintId(t)));
  const have = new Set(kept.map(taintId));
  const added = wanted.filter((t) => !have.has(taintId(t))).map((t) => (t.effect === 'NoExecute' ? { ...t, timeAdded: now } : { ...t }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

/**
 * How long a pod with `tolerations` may stay on a node with these NoExecute
 * taints: 0 = evict now (a taint is not tolerated, or a toleration allows
 * 0 s), undefined = forever, else the smallest tolerationSeconds in ms.
 */
export function tolerationWindowMs(tolerations: readonly Toleration[], noExecute: readonly Taint[]): number | undefined {
  if (noExecute.length === 0) return undefined;
  const used: Toleration[] = [];
  for (const taint of noExecute) {
    const t = tolerations.find((x) => tolerates(x, taint));
    if (!t) return 0;
    used.push(t);
  }
  let min: number | undefined;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = min === undefined ? t.tolerationSeconds : Math.min(min, t.tolerationSeconds);
  }
  return min === undefined ? undefined : min * 1000;
}
