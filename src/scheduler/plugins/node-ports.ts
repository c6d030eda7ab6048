// NodePorts: a pod's host ports must be free on the node.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin } from '../framework/interfaces.js';
import { Status } from '../framework/status.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export class NodePortsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NODE_PORTS;

  preFilter(_s: CycleState, pod: PodInfo): { status: Status } {
    return { status: pod.hostPorts.length === 0 ? Status.SKIP : Status.SUCCESS };
  }

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    if (nodeInfo.usedPorts.size === 0) return Status.SUCCESS;
    for (const p of pod.hostPorts) if (nodeInfo.usedPorts.conflicts(p)) return Status.unschedulable(ERR_REASON_NODE_PORTS);
    return Status.SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', action: ActionType.Delete } },
      { event: { resource: 'Node', action: ActionType.Add } },
    ];
  }
}
