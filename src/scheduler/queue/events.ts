// Which ActionType bits a Node or Pod update carries, so the integrator can
// turn informer updates into ClusterEvents for the queue.
import { deepEqualJSON } from '../../api/meta.js';
import { ActionType, type ClusterEvent } from '../framework/events.js';
import { podRequests } from '../resources.js';
import type { Node, Pod } from '../types.js';

export function nodeUpdateEvent(old: Node, node: Node): ClusterEvent {
  let action = 0;
  if (!deepEqualJSON(old.status?.allocatable, node.status?.allocatable)) action |= ActionType.UpdateNodeAllocatable;
  if (!deepEqualJSON(old.metadata.labels, node.metadata.labels)) action |= ActionType.UpdateNodeLabel;
  if (!deepEqualJSON(old.spec?.taints, node.spec?.taints) || old.spec?.unschedulable !== node.spec?.unschedulable) {
    action |= ActionType.UpdateNodeTaint;
  }
  if (!deepEqualJSON(old.status?.['conditions'], node.status?.['conditions'])) action |= ActionType.UpdateNodeCondition;
  if (!deepEqualJSON(old.metadata.annotations, node.metadata.annotations)) action |= ActionType.UpdateNodeAnnotation;
  return { resource: 'Node', action: action || ActionType.UpdateOther, label: 'NodeUpdate' };
}

export function podUpdateEvent(old: Pod, pod: Pod): ClusterEvent {
  let action = 0;
  if (!deepEqualJSON(old.metadata.labels, pod.metadata.labels)) action |= ActionType.UpdatePodLabel;
  if (!deepEqualJSON(old.spec?.tolerations, pod.spec?.tolerations)) action |= ActionType.UpdatePodToleration;
  const a = podRequests(old);
  const b = podRequests(pod);
  if (b.milliCPU < a.milliCPU || b.memory < a.memory) action |= ActionType.UpdatePodScaleDown;
  return { resource: pod.spec?.nodeName ? 'AssignedPod' : 'Pod', action: action || ActionType.UpdateOther, label: 'PodUpdate' };
}
