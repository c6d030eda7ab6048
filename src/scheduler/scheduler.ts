// One scheduling cycle for one pod, as pure logic over a snapshot: PreFilter,
// Filter over an adaptive sample of nodes (round-robin start), PostFilter
// (preemption) when nothing fits, then PreScore/Score and selectHost.
import type { Snapshot } from './cache/snapshot.js';
import type { NodeInfo } from './cache/node-info.js';
import { PodInfo } from './cache/pod-info.js';
import { CycleState } from './framework/cycle-state.js';
import type { Framework, NodePluginScores } from './framework/framework.js';
import { Status } from './framework/status.js';
import { fitErrorMessage, newDiagnosis, type Diagnosis } from './fit-error.js';
import type { Pod } from './types.js';

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * How many feasible nodes to look for before scoring: all below 100 nodes;
 * else the configured percentage, or adaptively 50% shrinking by 1% per 125
 * nodes down to 5%; never fewer than 100.
 */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage ?? 0;
  if (pct === 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * pct) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

export type ScheduleOutcome =
  | {
      status: 'Scheduled';
      node: string;
      /** Per feasible node scored: the weighted score of each plugin and the total. */
      scores: NodePluginScores[];
      evaluatedNodes: number;
      feasibleNodes: number;
      podInfo: PodInfo;
      state: CycleState;
    }
  | {
      status: 'Unschedulable';
      /** The FailedScheduling event message. */
      message: string;
      numAllNodes: number;
      diagnosis: Diagnosis;
      /** Set when preemption found room: evict `victims`, then retry on this node. */
      nominatedNodeName?: string;
      victims?: Pod[];
      podInfo: PodInfo;
      state: CycleState;
    }
  | { status: 'Error'; error: Status; podInfo: PodInfo; state: CycleState };

export interface ScheduleOptions {
  /** Carries the round-robin start index from cycle to cycle. */
  cursor?: { nextStartNodeIndex: number };
  /** Pods nominated by earlier preemptions (queue/nominator.ts), counted as present on their nodes. */
  nominated?: { podsOn(nodeName: string): readonly PodInfo[] };
}

/** Picks the highest total; ties broken uniformly at random (reservoir sampling). */
export function selectHost(scores: readonly NodePluginScores[], random: (n: number) => number): string | undefined {
  let best: NodePluginScores | undefined;
  let ties = 0;
  for (const s of scores) {
    if (!best || s.total > best.total) {
      best = s;
      ties = 1;
    } else if (s.total === best.total) {
      ties++;
      if (random(ties) === 0) best = s;
    }
  }
  return best?.name;
}

export function scheduleOne(pod: Pod, snapshot: Snapshot, fw: Framework, opts: ScheduleOptions = {}): ScheduleOutcome {
  fw.setSnapshot(snapshot);
  const state = new CycleState();
  const podInfo = new PodInfo(pod);
  const all = snapshot.list();
  const diagnosis = newDiagnosis();
  const unschedulable = (): ScheduleOutcome => runPostFilter(fw, state, podInfo, all.length, diagnosis);

  if (all.length === 0) {
    diagnosis.preFilterMsg = ERR_NO_NODES_AVAILABLE;
    return { status: 'Unschedulable', message: ERR_NO_NODES_AVAILABLE, numAllNodes: 0, diagnosis, podInfo, state };
  }

  const pre = fw.runPreFilterPlugins(state, podInfo, all);
  if (!pre.status.isSuccess()) {
    if (!pre.status.isRejected()) return { status: 'Error', error: pre.status, podInfo, state };
    for (const ni of all) diagnosis.nodeToStatus.set(ni.name, pre.status);
    diagnosis.preFilterMsg = pre.status.message();
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    return unschedulable();
  }

  const nominator = opts.nominated;
  const filter = (ni: NodeInfo): Status =>
    nominator ? fw.runFilterPluginsWithNominatedPods(state, podInfo, ni, nominator.podsOn(ni.name)) : fw.runFilterPlugins(state, podInfo, ni);

  // A node nominated by an earlier preemption is tried first, alone.
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    const ni = snapshot.get(nominated);
    if (ni && (!pre.result?.nodeNames || pre.result.nodeNames.has(nominated)) && filter(ni).isSuccess()) {
      return { status: 'Scheduled', node: nominated, scores: [], evaluatedNodes: 1, feasibleNodes: 1, podInfo, state };
    }
  }

  const names = pre.result?.nodeNames;
  const nodes: readonly NodeInfo[] = names ? all.filter((n) => names.has(n.name)) : all;
  if (names) {
    // Nodes the PreFilter result left out count as unresolvable for those plugins.
    const absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`);
    for (const ni of all) if (!names.has(ni.name)) diagnosis.nodeToStatus.set(ni.name, absent);
    for (const p of pre.narrowedBy) diagnosis.unschedulablePlugins.add(p);
  }
  const feasible: NodeInfo[] = [];
  const n = nodes.length;
  const want = fw.points.filter.length === 0 ? n : numFeasibleNodesToFind(fw.percentageOfNodesToScore, n);
  const cursor = opts.cursor;
  const start = cursor && n ? cursor.nextStartNodeIndex % n : 0;
  let processed = 0;
  for (let i = 0; i < n && feasible.length < want; i++) {
    const ni = nodes[(start + i) % n]!;
    processed++;
    const st = filter(ni);
    if (st.isSuccess()) feasible.push(ni);
    else if (st.isRejected()) {
      diagnosis.nodeToStatus.set(ni.name, st);
      if (st.plugin) diagnosis.unschedulablePlugins.add(st.plugin);
    } else return { status: 'Error', error: st, podInfo, state };
  }
  if (cursor && n) cursor.nextStartNodeIndex = (start + processed) % n;

  if (feasible.length === 0) return unschedulable();
  const evaluatedNodes = processed;
  if (feasible.length === 1) {
    return { status: 'Scheduled', node: feasible[0]!.name, scores: [], evaluatedNodes, feasibleNodes: 1, podInfo, state };
  }

  const ps = fw.runPreScorePlugins(state, podInfo, feasible);
  if (!ps.isSuccess()) return { status: 'Error', error: ps, podInfo, state };
  const scored = fw.runScorePlugins(state, podInfo, feasible);
  if (!scored.status.isSuccess()) return { status: 'Error', error: scored.status, podInfo, state };
  const node = selectHost(scored.scores, (k) => fw.random(k))!;
  return { status: 'Scheduled', node, scores: scored.scores, evaluatedNodes, feasibleNodes: feasible.length, podInfo, state };
}

function runPostFilter(fw: Framework, state: CycleState, podInfo: PodInfo, numAllNodes: number, diagnosis: Diagnosis): ScheduleOutcome {
  const post = fw.runPostFilterPlugins(state, podInfo, diagnosis.nodeToStatus);
  if (post.status.code === 'Error') return { status: 'Error', error: post.status, podInfo, state };
  if (!post.status.isSuccess() && post.status.reasons.length) diagnosis.postFilterMsg = post.status.message();
  const out: ScheduleOutcome = { status: 'Unschedulable', message: fitErrorMessage(numAllNodes, diagnosis), numAllNodes, diagnosis, podInfo, state };
  if (post.result?.nominatedNodeName) {
    out.nominatedNodeName = post.result.nominatedNodeName;
    out.victims = post.result.victims;
  }
  return out;
}
