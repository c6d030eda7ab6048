// InterPodAffinity: required pod affinity / anti-affinity of the incoming
// pod, the required anti-affinity of pods already running, and preferred
// terms (both ways) for scoring. Counts are per topology pair (key=value).
import { countMatchingPods, memoRef, termKey, type MemoRef } from '../cache/match-count.js';
import { DomainCountCache } from '../cache/domain-counts.js';
import type { NodeInfo } from '../cache/node-info.js';
import { termMatches, type AffinityTerm, type NamespaceLabels, type PodInfo } from '../cache/pod-info.js';
import { StateKey, type CycleState, type StateData } from '../framework/cycle-state.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import {
  MAX_NODE_SCORE,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeScore,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interfaces.js';
import { Status } from '../framework/status.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

class Counts {
  readonly m = new Map<string, number>();
  add(k: string, v: string, n: number): void {
    const key = pairKey(k, v);
    const c = (this.m.get(key) ?? 0) + n;
    if (c === 0) this.m.delete(key);
    else this.m.set(key, c);
  }
  get(k: string, v: string): number {
    return this.m.get(pairKey(k, v)) ?? 0;
  }
  clone(): Counts {
    const c = new Counts();
    for (const [k, v] of this.m) c.m.set(k, v);
    return c;
  }
}

class PreFilterState implements StateData {
  constructor(
    readonly existingAntiAffinity: Counts,
    readonly affinity: Counts,
    readonly antiAffinity: Counts,
    readonly nsLabels: NamespaceLabels,
  ) {}
  clone(): PreFilterState {
    return new PreFilterState(this.existingAntiAffinity.clone(), this.affinity.clone(), this.antiAffinity.clone(), this.nsLabels);
  }
}
const PRE_FILTER_KEY = new StateKey<PreFilterState>('PreFilter' + INTER_POD_AFFINITY);

class ScoreState implements StateData {
  constructor(readonly topologyScore: Map<string, Map<string, number>>) {}
  clone(): StateData {
    return this;
  }
}
const PRE_SCORE_KEY = new StateKey<ScoreState>('PreScore' + INTER_POD_AFFINITY);

function allMatch(terms: readonly AffinityTerm[], target: PodInfo, ns: NamespaceLabels): boolean {
  for (const t of terms) if (!termMatches(t, target, ns)) return false;
  return terms.length > 0;
}

/** Pods on the node selected by the term (memoized unless it depends on namespace labels). */
interface Counter {
  key: MemoRef | undefined;
  pred: (p: PodInfo) => boolean;
}

/** Built once per cycle per term, so the per-node loop allocates nothing. */
function counter(t: AffinityTerm, ns: NamespaceLabels): Counter {
  const k = termKey(t);
  return { key: k === undefined ? undefined : memoRef(`term:${k}`), pred: (p) => termMatches(t, p, ns) };
}

function countTerm(ni: NodeInfo, c: Counter): number {
  if (c.key !== undefined) return countMatchingPods(ni, c.key, c.pred);
  let n = 0;
  for (const p of ni.pods) if (c.pred(p)) n++;
  return n;
}

/** Applies `existing` on `nodeInfo` to the counts, with sign +1 (add) or -1 (remove). */
function updateWith(s: PreFilterState, pod: PodInfo, existing: PodInfo, nodeInfo: NodeInfo, sign: 1 | -1): void {
  const labels = nodeInfo.labels;
  for (const t of existing.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, pod, s.nsLabels)) s.existingAntiAffinity.add(t.topologyKey, v, sign);
  }
  if (pod.requiredAffinity.length && allMatch(pod.requiredAffinity, existing, s.nsLabels)) {
    for (const t of pod.requiredAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined) s.affinity.add(t.topologyKey, v, sign);
    }
  }
  for (const t of pod.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, existing, s.nsLabels)) s.antiAffinity.add(t.topologyKey, v, sign);
  }
}

export class InterPodAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = INTER_POD_AFFINITY;
  private readonly hardPodAffinityWeight: number;
  private readonly domainCounts = new DomainCountCache();

  constructor(
    private readonly handle: Handle,
    args: Record<string, unknown> = {},
  ) {
    this.hardPodAffinityWeight = typeof args.hardPodAffinityWeight === 'number' ? args.hardPodAffinityWeight : 1;
  }

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status: Status } {
    const snap = this.handle.snapshot();
    const hasExistingAnti = snap.havePodsWithRequiredAntiAffinity().length > 0;
    if (!pod.requiredAffinity.length && !pod.requiredAntiAffinity.length && !hasExistingAnti) return { status: Status.SKIP };
    const s = new PreFilterState(new Counts(), new Counts(), new Counts(), snap.namespaceLabels);
    // Existing pods' anti-affinity: each distinct term is matched against the pod once.
    if (hasExistingAnti) {
      for (const g of snap.termGroups()) {
        if (g.kind !== 'requiredAntiAffinity' || !termMatches(g.term, pod, s.nsLabels)) continue;
        for (const [ni, n] of g.nodes) {
          const v = ni.node ? ni.labels[g.term.topologyKey] : undefined;
          if (v !== undefined) s.existingAntiAffinity.add(g.term.topologyKey, v, n);
        }
      }
    }
    // The pod's own terms: per-node counts, memoized while a node is unchanged.
    const affKeys = pod.requiredAffinity.map(termKey);
    const antiCounters = pod.requiredAntiAffinity.map((t) => counter(t, s.nsLabels));
    const affKey = affKeys.every((k) => k !== undefined) ? memoRef(`all:${affKeys.join('&')}`) : undefined;
    const allAff = (p: PodInfo) => allMatch(pod.requiredAffinity, p, s.nsLabels);
    for (const ni of nodes) {
      if (pod.requiredAffinity.length) {
        const n = affKey ? countMatchingPods(ni, affKey, allAff) : ni.pods.filter(allAff).length;
        if (n > 0) {
          for (const t of pod.requiredAffinity) {
            const v = ni.labels[t.topologyKey];
            if (v !== undefined) s.affinity.add(t.topologyKey, v, n);
          }
        }
      }
      for (let i = 0; i < pod.requiredAntiAffinity.length; i++) {
        const t = pod.requiredAntiAffinity[i]!;
        const v = ni.labels[t.topologyKey];
        if (v === undefined) continue;
        const n = countTerm(ni, antiCounters[i]!);
        if (n > 0) s.antiAffinity.add(t.topologyKey, v, n);
      }
    }
    state.write(PRE_FILTER_KEY, s);
    return { status: Status.SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    const apply = (state: CycleState, pod: PodInfo, other: PodInfo, ni: NodeInfo, sign: 1 | -1): Status => {
      const s = state.read(PRE_FILTER_KEY);
      if (!s) return Status.error(`reading "${PRE_FILTER_KEY.name}" from cycleState: not found`);
      updateWith(s, pod, other, ni, sign);
      return Status.SUCCESS;
    };
    return {
      addPod: (state, pod, toAdd, ni) => apply(state, pod, toAdd, ni, 1),
      removePod: (state, pod, toRemove, ni) => apply(state, pod, toRemove, ni, -1),
    };
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read(PRE_FILTER_KEY);
    if (!s) return Status.error(`reading "${PRE_FILTER_KEY.name}" from cycleState: not found`);
    const labels = nodeInfo.labels;
    if (pod.requiredAffinity.length) {
      let ok = true;
      for (const t of pod.requiredAffinity) {
        const v = labels[t.topologyKey];
        if (v === undefined || s.affinity.get(t.topologyKey, v) <= 0) {
          ok = false;
          break;
        }
      }
      // The first pod of a group that selects itself may go anywhere with the keys.
      if (!ok && s.affinity.m.size === 0 && allMatch(pod.requiredAffinity, pod, s.nsLabels)) {
        ok = pod.requiredAffinity.every((t) => labels[t.topologyKey] !== undefined);
      }
      if (!ok) return Status.unresolvable(ERR_REASON_AFFINITY);
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && s.antiAffinity.get(t.topologyKey, v) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    if (s.existingAntiAffinity.m.size) {
      for (const [k, v] of Object.entries(labels)) {
        if (s.existingAntiAffinity.get(k, v) > 0) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return Status.SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const snap = this.handle.snapshot();
    const hasPreferred = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
    if (!hasPreferred && snap.havePodsWithAffinity().length === 0) return Status.SKIP;
    const ns = snap.namespaceLabels;
    const topo = new Map<string, Map<string, number>>();
    const bumpValue = (key: string, v: string, w: number) => {
      if (w === 0) return;
      let m = topo.get(key);
      if (!m) topo.set(key, (m = new Map()));
      m.set(v, (m.get(v) ?? 0) + w);
    };
    const bump = (key: string, ni: NodeInfo, w: number) => {
      const v = ni.labels[key];
      if (v !== undefined) bumpValue(key, v, w);
    };
    // The pod's preferred terms against every pod in the cluster.
    if (hasPreferred) {
      const terms = [
        ...pod.preferredAffinity.map((t) => ({ t, w: t.weight, c: counter(t, ns) })),
        ...pod.preferredAntiAffinity.map((t) => ({ t, w: -t.weight, c: counter(t, ns) })),
      ];
      for (const { t, w, c } of terms) {
        if (c.key === undefined) {
          for (const ni of snap.list()) bump(t.topologyKey, ni, w * countTerm(ni, c));
          continue;
        }
        // Per-domain totals kept incrementally across cycles.
        const [byValue] = this.domainCounts.view(snap, `${c.key.key}@${t.topologyKey}`, {
          topologyKeys: [t.topologyKey],
          eligible: () => true,
          count: (ni) => countTerm(ni, c),
        });
        for (const [v, n] of byValue!) if (n) bumpValue(t.topologyKey, v, w * n);
      }
    }
    // Existing pods' terms that select this pod, each distinct term matched once.
    for (const g of snap.termGroups()) {
      let w: number;
      if (g.kind === 'requiredAffinity') w = this.hardPodAffinityWeight;
      else if (g.kind === 'preferredAffinity') w = g.weight;
      else if (g.kind === 'preferredAntiAffinity') w = -g.weight;
      else continue;
      if (w === 0 || !termMatches(g.term, pod, ns)) continue;
      for (const [ni, n] of g.nodes) if (ni.node) bump(g.term.topologyKey, ni, w * n);
    }
    if (topo.size === 0) return Status.SKIP;
    state.write(PRE_SCORE_KEY, new ScoreState(topo));
    return Status.SUCCESS;
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): { score: number } {
    const s = state.read(PRE_SCORE_KEY);
    let total = 0;
    if (s) for (const [k, byValue] of s.topologyScore) {
      const v = nodeInfo.labels[k];
      if (v !== undefined) total += byValue.get(v) ?? 0;
    }
    return { score: total };
  }

  normalizeScore(_s: CycleState, _p: PodInfo, scores: NodeScore[]): Status {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s.score < min) min = s.score;
      if (s.score > max) max = s.score;
    }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
    return Status.SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', action: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeLabel } },
      { event: { resource: 'Namespace', action: ActionType.Add | ActionType.UpdateOther } },
    ];
  }
}
