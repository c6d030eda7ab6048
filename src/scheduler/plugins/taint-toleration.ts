// TaintToleration: NoSchedule/NoExecute taints must be tolerated; each
// untolerated PreferNoSchedule taint lowers the node's score.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import { StateKey, type CycleState, type StateData } from '../framework/cycle-state.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import { defaultNormalizeScore, type EnqueueExtensions, type FilterPlugin, type NodeScore, type PreScorePlugin, type ScorePlugin } from '../framework/interfaces.js';
import { Status } from '../framework/status.js';
import type { Toleration } from '../types.js';
import { findUntoleratedTaint, toleratedBy } from './helpers.js';

export const TAINT_TOLERATION = 'TaintToleration';

const FILTER_EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'NoExecute']);

class PreferTolerations implements StateData {
  constructor(readonly tolerations: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}
const PRE_SCORE_KEY = new StateKey<PreferTolerations>('PreScore' + TAINT_TOLERATION);

export class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = TAINT_TOLERATION;

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const taint = findUntoleratedTaint(nodeInfo.taints, pod.pod.spec?.tolerations ?? [], FILTER_EFFECTS);
    if (!taint) return Status.SUCCESS;
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const tols = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_KEY, new PreferTolerations(tols));
    return Status.SUCCESS;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): { score: number } {
    const tols = state.read(PRE_SCORE_KEY)?.tolerations ?? pod.pod.spec?.tolerations ?? [];
    let n = 0;
    for (const taint of nodeInfo.taints) if (taint.effect === 'PreferNoSchedule' && !toleratedBy(taint, tols)) n++;
    return { score: n };
  }

  normalizeScore(_s: CycleState, _p: PodInfo, scores: NodeScore[]): Status {
    defaultNormalizeScore(scores, true);
    return Status.SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeTaint } },
      { event: { resource: 'Pod', action: ActionType.UpdatePodToleration } },
    ];
  }
}
