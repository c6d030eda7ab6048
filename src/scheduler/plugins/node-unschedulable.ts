// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that
// tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import type { EnqueueExtensions, FilterPlugin } from '../framework/interfaces.js';
import { Status } from '../framework/status.js';
import type { Node, Taint } from '../types.js';
import { toleratedBy } from './helpers.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

export class NodeUnschedulablePlugin implements FilterPlugin, EnqueueExtensions {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_s: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status {
    if (!nodeInfo.node?.spec?.unschedulable) return Status.SUCCESS;
    return toleratedBy(UNSCHEDULABLE_TAINT, pod.pod.spec?.tolerations ?? []) ? Status.SUCCESS : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeTaint },
        // Only an uncordoned node helps.
        hint: (_pod, _old, newObj) => ((newObj as Node | undefined)?.spec?.unschedulable ? 'QueueSkip' : 'Queue'),
      },
    ];
  }
}
