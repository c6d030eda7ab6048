// NodeName: a pod that names its node fits only there.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import { ActionType } from '../framework/events.js';
import type { ClusterEventWithHint } from '../framework/events.js';
import type { EnqueueExtensions, FilterPlugin } from '../framework/interfaces.js';
import { Status } from '../framework/status.js';

export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeNamePlugin implements FilterPlugin, EnqueueExtensions {
  readonly name = NODE_NAME;

  filter(_s: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const want = pod.pod.spec?.nodeName;
    return !want || want === nodeInfo.name ? Status.SUCCESS : Status.unresolvable(ERR_REASON_NODE_NAME);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', action: ActionType.Add } }];
  }
}
