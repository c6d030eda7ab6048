// PodTopologySpread: DoNotSchedule constraints cap the skew of matching pods
// across topology domains; ScheduleAnyway constraints prefer the emptier ones.
import { labelSelectorFromObject, matchesLabels, newRequirement, NOTHING, type LabelSelector } from '../../api/labels.js';
import { countMatchingPods, memoRef, selectorKey, type MemoRef } from '../cache/match-count.js';
import { DomainCountCache, type DomainCounter } from '../cache/domain-counts.js';
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
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
import type { Pod, TopologySpreadConstraint } from '../types.js';
import { findUntoleratedTaint, nodeOf, podMatchesNodeSelectorAndAffinity } from './helpers.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

const HOSTNAME = 'kubernetes.io/hostname';
const TAINT_EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'NoExecute']);

interface Constraint {
  /** Memo slot for countMatching: namespace + selector. */
  countKey: MemoRef;
  /** Whether an existing pod counts for this constraint (made once, not per node). */
  counts: (p: PodInfo) => boolean;
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

/**
 * Upstream's system default constraints, for pods of a workload that set none:
 * spread over hosts (maxSkew 3) and zones (maxSkew 5), ScheduleAnyway. The
 * selector stands in for upstream's union of the owning workload's and
 * services' selectors: the pod's own labels, which its siblings share.
 */
export function systemDefaultConstraints(pod: Pod): TopologySpreadConstraint[] {
  if (pod.spec?.topologySpreadConstraints?.length) return [];
  const owned = pod.metadata.ownerReferences?.some((r) => r.controller);
  const labels = pod.metadata.labels;
  if (!owned || !labels || Object.keys(labels).length === 0) return [];
  const labelSelector = { matchLabels: labels };
  return [
    { maxSkew: 3, topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

function parseConstraints(pod: Pod, when: string, defaults: TopologySpreadConstraint[] = []): Constraint[] {
  const labels = pod.metadata.labels ?? {};
  return (pod.spec?.topologySpreadConstraints?.length ? pod.spec.topologySpreadConstraints : defaults)
    .filter((c: TopologySpreadConstraint) => c.whenUnsatisfiable === when)
    .map((c) => {
      let selector: LabelSelector;
      try {
        selector = labelSelectorFromObject(c.labelSelector);
        const extra = (c.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => newRequirement(k, 'in', [labels[k]!]));
        if (extra.length && !selector.nothing) selector = { requirements: [...selector.requirements, ...extra] };
      } catch {
        selector = NOTHING;
      }
      const ns = pod.metadata.namespace ?? 'default';
      const sel = selector;
      return {
        countKey: memoRef(`spread:${ns}|${selectorKey(selector)}`),
        counts: (ex: PodInfo) => ex.namespace === ns && !ex.pod.metadata.deletionTimestamp && matchesLabels(sel, ex.labels),
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector,
        minDomains: c.minDomains ?? 1,
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      };
    });
}

/** Whether a node's pods count towards the constraints (has the keys, passes the policies). */
function nodeCounts(pod: PodInfo, ni: NodeInfo, cs: readonly Constraint[]): boolean {
  const labels = ni.labels;
  let affinity = false;
  let taints = false;
  for (const c of cs) {
    if (!(c.topologyKey in labels)) return false;
    affinity ||= c.honorAffinity;
    taints ||= c.honorTaints;
  }
  const spec = pod.pod.spec;
  const constrained = spec?.nodeSelector !== undefined || spec?.affinity?.nodeAffinity !== undefined;
  if (affinity && constrained && !podMatchesNodeSelectorAndAffinity(pod.pod, nodeOf(ni))) return false;
  if (taints && ni.taints.length && findUntoleratedTaint(ni.taints, spec?.tolerations ?? [], TAINT_EFFECTS)) return false;
  return true;
}

/** Live pods on the node in the pod's namespace matching the constraint (memoized per node generation). */
function countMatching(ni: NodeInfo, c: Constraint): number {
  return countMatchingPods(ni, c.countKey, c.counts);
}

class FilterState implements StateData {
  /** Per constraint: domain value → matching pods. Every eligible domain has an entry. */
  constructor(
    readonly constraints: Constraint[],
    readonly counts: Map<string, number>[],
    /** 1 when the incoming pod matches constraint i's selector itself. */
    readonly selfMatch: number[],
    private mins: (number | undefined)[] = [],
  ) {}

  minMatch(i: number): number {
    let m = this.mins[i];
    if (m === undefined) {
      const c = this.constraints[i]!;
      const byValue = this.counts[i]!;
      // Fewer domains than minDomains: the missing ones count as empty.
      if (byValue.size < c.minDomains) m = 0;
      else {
        m = Infinity;
        for (const v of byValue.values()) if (v < m) m = v;
        if (m === Infinity) m = 0;
      }
      this.mins[i] = m;
    }
    return m;
  }

  update(pod: PodInfo, other: PodInfo, ni: NodeInfo, sign: 1 | -1): void {
    if (other.namespace !== pod.namespace || !nodeCounts(pod, ni, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!matchesLabels(c.selector, other.labels)) return;
      const v = ni.labels[c.topologyKey]!;
      this.counts[i]!.set(v, (this.counts[i]!.get(v) ?? 0) + sign);
      this.mins[i] = undefined;
    });
  }

  clone(): FilterState {
    return new FilterState(this.constraints, this.counts.map((m) => new Map(m)), this.selfMatch, [...this.mins]);
  }
}
const PRE_FILTER_KEY = new StateKey<FilterState>('PreFilter' + POD_TOPOLOGY_SPREAD);

class ScoreState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    readonly counts: Map<string, number>[],
    readonly weights: number[],
    readonly ignored: Set<string>,
  ) {}
  clone(): StateData {
    return this;
  }
}
const PRE_SCORE_KEY = new StateKey<ScoreState>('PreScore' + POD_TOPOLOGY_SPREAD);

/** Identifies what a set of constraints counts, for DomainCountCache. */
function aggregateKey(pod: PodInfo, cs: readonly Constraint[]): string {
  const spec = pod.pod.spec;
  const parts = cs.map((c) => `${c.countKey.key}@${c.topologyKey}`);
  if (cs.some((c) => c.honorAffinity)) parts.push(JSON.stringify([spec?.nodeSelector ?? null, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]));
  if (cs.some((c) => c.honorTaints)) parts.push(JSON.stringify(spec?.tolerations ?? null));
  return parts.join('\u0000');
}

export class PodTopologySpreadPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = POD_TOPOLOGY_SPREAD;
  private readonly domainCounts = new DomainCountCache();

  constructor(private readonly handle: Handle) {}

  /** Matching pods per domain over every eligible node of the snapshot: copies the caller may change. */
  private clusterCounts(pod: PodInfo, cs: Constraint[]): Map<string, number>[] {
    return this.domainCounts.counts(this.handle.snapshot(), aggregateKey(pod, cs), this.counter(pod, cs));
  }

  /** As clusterCounts, read-only and valid until the next call (a hostname constraint has a domain per node: not worth copying to read). */
  private clusterView(pod: PodInfo, cs: Constraint[]): readonly ReadonlyMap<string, number>[] {
    return this.domainCounts.view(this.handle.snapshot(), aggregateKey(pod, cs), this.counter(pod, cs));
  }

  private counter(pod: PodInfo, cs: Constraint[]): DomainCounter {
    return {
      topologyKeys: cs.map((c) => c.topologyKey),
      eligible: (ni) => nodeCounts(pod, ni, cs),
      count: (ni, i) => countMatching(ni, cs[i]!),
    };
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const cs = parseConstraints(pod.pod, 'DoNotSchedule');
    if (cs.length === 0) return { status: Status.SKIP };
    const counts = this.clusterCounts(pod, cs);
    const self = cs.map((c) => (matchesLabels(c.selector, pod.labels) ? 1 : 0));
    state.write(PRE_FILTER_KEY, new FilterState(cs, counts, self));
    return { status: Status.SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    const apply = (state: CycleState, pod: PodInfo, other: PodInfo, ni: NodeInfo, sign: 1 | -1): Status => {
      const s = state.read(PRE_FILTER_KEY);
      if (!s) return Status.error(`reading "${PRE_FILTER_KEY.name}" from cycleState: not found`);
      s.update(pod, other, ni, sign);
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
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = labels[c.topologyKey];
      if (v === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const skew = (s.counts[i]!.get(v) ?? 0) + s.selfMatch[i]! - s.minMatch(i);
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return Status.SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    let cs = parseConstraints(pod.pod, 'ScheduleAnyway', systemDefaultConstraints(pod.pod));
    // System defaults do not require every topology: keep those all candidate nodes have (upstream's requireAllTopologies=false).
    if (!pod.pod.spec?.topologySpreadConstraints?.length) cs = cs.filter((c) => nodes.every((ni) => c.topologyKey in ni.labels));
    if (cs.length === 0) return Status.SKIP;
    const ignored = new Set<string>();
    const domains = cs.map(() => new Set<string>());
    for (const ni of nodes) {
      if (!cs.every((c) => c.topologyKey in ni.labels)) {
        ignored.add(ni.name);
        continue;
      }
      cs.forEach((c, i) => domains[i]!.add(ni.labels[c.topologyKey]!));
    }
    // Hostname domains are counted per node in score(); the others cluster-wide here.
    // Only domains among the candidate nodes are scored.
    const counts = this.clusterView(pod, cs).map((m, i) => {
      const out = new Map<string, number>();
      if (cs[i]!.topologyKey !== HOSTNAME) for (const v of domains[i]!) out.set(v, m.get(v) ?? 0);
      return out;
    });
    const weights = cs.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? nodes.length - ignored.size : domains[i]!.size) + 2));
    state.write(PRE_SCORE_KEY, new ScoreState(cs, counts, weights, ignored));
    return Status.SUCCESS;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): { score: number } {
    const s = state.read(PRE_SCORE_KEY);
    if (!s || s.ignored.has(nodeInfo.name)) return { score: 0 };
    let total = 0;
    s.constraints.forEach((c, i) => {
      const cnt = c.topologyKey === HOSTNAME ? countMatching(nodeInfo, c) : (s.counts[i]!.get(nodeInfo.labels[c.topologyKey]!) ?? 0);
      total += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return { score: Math.round(total) };
  }

  normalizeScore(state: CycleState, _p: PodInfo, scores: NodeScore[]): Status {
    const s = state.read(PRE_SCORE_KEY);
    if (!s) return Status.SUCCESS;
    let min = Infinity;
    let max = 0;
    for (const sc of scores) {
      if (s.ignored.has(sc.name)) continue;
      if (sc.score < min) min = sc.score;
      if (sc.score > max) max = sc.score;
    }
    for (const sc of scores) {
      if (s.ignored.has(sc.name)) sc.score = 0;
      else if (max === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
    }
    return Status.SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', action: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
    ];
  }
}
