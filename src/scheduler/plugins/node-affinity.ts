// NodeAffinity: spec.nodeSelector and required node affinity filter nodes;
// preferred terms add their weights to the score.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import {
  defaultNormalizeScore,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interfaces.js';
import { Status } from '../framework/status.js';
import type { Node, Pod } from '../types.js';
import { nodeOf, podMatchesNodeSelectorAndAffinity, termMatchesNode } from './helpers.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/**
 * When every required term pins `metadata.name In [...]`, only those nodes
 * can match: PreFilter narrows the node set to them.
 */
function pinnedNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const out = new Set<string>();
  for (const t of terms) {
    const pins = (t.matchFields ?? []).filter((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (pins.length === 0) return undefined;
    // Several pins in one term intersect.
    let names = new Set(pins[0]!.values ?? []);
    for (const p of pins.slice(1)) names = new Set([...names].filter((n) => (p.values ?? []).includes(n)));
    for (const n of names) out.add(n);
  }
  return out;
}

function hasRequired(pod: Pod): boolean {
  return !!pod.spec?.nodeSelector || !!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

export class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NODE_AFFINITY;

  preFilter(_s: CycleState, pod: PodInfo): { result?: PreFilterResult; status: Status } {
    if (!hasRequired(pod.pod)) return { status: Status.SKIP };
    const pinned = pinnedNodeNames(pod.pod);
    return pinned ? { result: { nodeNames: pinned }, status: Status.SUCCESS } : { status: Status.SUCCESS };
  }

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    return podMatchesNodeSelectorAndAffinity(pod.pod, nodeOf(nodeInfo)) ? Status.SUCCESS : Status.unresolvable(ERR_REASON_NODE_AFFINITY);
  }

  preScore(_s: CycleState, pod: PodInfo): Status {
    return pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? Status.SUCCESS : Status.SKIP;
  }

  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): { score: number } {
    let total = 0;
    const node = nodeOf(nodeInfo);
    for (const p of pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (p.weight !== 0 && termMatchesNode(p.preference, node)) total += p.weight;
    }
    return { score: total };
  }

  normalizeScore(_s: CycleState, _p: PodInfo, scores: NodeScore[]): Status {
    defaultNormalizeScore(scores, false);
    return Status.SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeLabel },
        hint: (pod, _old, newObj) => (newObj && podMatchesNodeSelectorAndAffinity(pod, newObj as Node) ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}
