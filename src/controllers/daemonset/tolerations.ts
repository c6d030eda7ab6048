// Taints and tolerations: matching, and the tolerations every daemon pod gets
// so that it runs on nodes that are not ready, under pressure or cordoned.
import type { Taint, Toleration } from './types.js';

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** What upstream adds to every DaemonSet pod (plus network-unavailable for hostNetwork pods). */
export function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) t.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return t;
}

/** True when `t` tolerates `taint` (an empty effect matches every effect; an empty key with Exists matches every key). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** Adds each toleration unless an equal one (same key, operator, value, effect) is there. */
export function addTolerations(existing: Toleration[] | undefined, extra: Toleration[]): Toleration[] {
  const out = [...(existing ?? [])];
  const same = (a: Toleration, b: Toleration) => (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
  for (const t of extra) if (!out.some((o) => same(o, t))) out.push(t);
  return out;
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function untoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[], effects: string[]): Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
}
