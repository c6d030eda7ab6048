// Node health as the lifecycle controller judges it: when the node last
// proved alive (its Lease or its Ready heartbeat), and the conditions it
// gets once it has been silent too long.
import type { Condition, Lease, Node } from '../../client/types.js';

export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const NODE_STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';
export const NODE_STATUS_NEVER_UPDATED_REASON = 'NodeStatusNeverUpdated';
export const NODE_STATUS_NEVER_UPDATED_MESSAGE = 'Kubelet never posted node status.';

/** Conditions the kubelet owns and the controller marks Unknown when it goes silent. */
export const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const parse = (t: string | undefined): number | undefined => {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
};

export const readyCondition = (node: Node): Condition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

/**
 * The deadline (epoch ms) by which the node must show life again, from the
 * latest of its Lease renewal and Ready heartbeat; a node that never posted
 * status is measured from its creation with the startup grace period.
 */
export function healthDeadline(node: Node, lease: Lease | undefined, graceMs: number, startupGraceMs: number): number {
  const ready = readyCondition(node);
  const beats = [parse(lease?.spec?.renewTime), parse(ready?.lastHeartbeatTime)].filter((x): x is number => x !== undefined);
  if (beats.length > 0) return Math.max(...beats) + graceMs;
  return (parse(node.metadata.creationTimestamp) ?? 0) + startupGraceMs;
}

/**
 * The node's conditions with the kubelet-owned ones set to Unknown (and a
 * missing Ready added); undefined when they already are.
 */
export function unknownConditions(node: Node, nowIso: string): Condition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const c of conditions) {
    if (!KUBELET_CONDITIONS.includes(c.type) || c.status === 'Unknown') continue;
    c.status = 'Unknown';
    c.reason = NODE_STATUS_UNKNOWN_REASON;
    c.message = NODE_STATUS_UNKNOWN_MESSAGE;
    c.lastTransitionTime = nowIso;
    changed = true;
  }
  if (!conditions.some((c) => c.type === 'Ready')) {
    conditions.push({
      type: 'Ready',
      status: 'Unknown',
      reason: NODE_STATUS_NEVER_UPDATED_REASON,
      message: NODE_STATUS_NEVER_UPDATED_MESSAGE,
      lastHeartbeatTime: node.metadata.creationTimestamp,
      lastTransitionTime: nowIso,
    });
    changed = true;
  }
  return changed ? conditions : undefined;
}
