// Cluster events that can make an unschedulable pod schedulable, and the
// per-plugin hints the queue uses to decide which pods to retry.
import type { Pod } from '../types.js';

export type EventResource = 'Node' | 'Pod' | 'AssignedPod' | 'Namespace' | 'PersistentVolume' | 'PersistentVolumeClaim' | '*';

/** Bit flags: what happened to the object. */
export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdateNodeAnnotation: 64,
  UpdatePodLabel: 128,
  /** A pod's requests went down (in-place resize). */
  UpdatePodScaleDown: 256,
  UpdatePodToleration: 512,
  UpdatePodSchedulingGates: 1024,
  /** Any other update. */
  UpdateOther: 2048,
} as const;

export const UPDATE =
  ActionType.UpdateNodeAllocatable |
  ActionType.UpdateNodeLabel |
  ActionType.UpdateNodeTaint |
  ActionType.UpdateNodeCondition |
  ActionType.UpdateNodeAnnotation |
  ActionType.UpdatePodLabel |
  ActionType.UpdatePodScaleDown |
  ActionType.UpdatePodToleration |
  ActionType.UpdatePodSchedulingGates |
  ActionType.UpdateOther;
export const ALL = ActionType.Add | ActionType.Delete | UPDATE;

export interface ClusterEvent {
  resource: EventResource;
  /** A union of ActionType bits. */
  action: number;
  /** For logs and metrics. */
  label?: string;
}

export type QueueingHint = 'Queue' | 'QueueSkip';

/** Decides whether `event` (with its old/new objects) may help `pod`. Never throws; on doubt, Queue. */
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  hint?: QueueingHintFn;
}

/** A registered event covers an incoming one when the resources match and the actions overlap. */
export function eventMatches(registered: ClusterEvent, incoming: ClusterEvent): boolean {
  const resourceOk =
    registered.resource === '*' ||
    incoming.resource === '*' ||
    registered.resource === incoming.resource ||
    // An assigned pod is a pod: plugins registered for Pod see it.
    (registered.resource === 'Pod' && incoming.resource === 'AssignedPod');
  return resourceOk && (registered.action & incoming.action) !== 0;
}

/** Special events the queue itself raises. */
export const EVENT_UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', action: ALL, label: 'UnschedulableTimeout' };
export const EVENT_FORCE_ACTIVATE: ClusterEvent = { resource: '*', action: ALL, label: 'ForceActivate' };
