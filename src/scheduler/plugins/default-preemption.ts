// DefaultPreemption (PostFilter): find a node where evicting lower-priority
// pods lets the pod fit, evicting as few and as unimportant pods as possible.
// PodDisruptionBudgets are not considered (kubets has none yet).
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { Handle, PostFilterPlugin, PostFilterResult } from '../framework/interfaces.js';
import { Status, type NodeToStatus } from '../framework/status.js';
import { fitErrorMessage, newDiagnosis } from '../fit-error.js';

export const DEFAULT_PREEMPTION = 'DefaultPreemption';
export const REASON_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const REASON_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  nodeName: string;
  /** Most important first. */
  victims: PodInfo[];
}

const startTime = (p: PodInfo): number => {
  const t = p.pod.status?.startTime ?? p.pod.metadata.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
};

/** Higher priority first; on a tie the pod that started earlier is more important. */
export function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

/**
 * Upstream's candidate order: fewest PDB violations (always 0 here), lowest
 * highest-victim priority, lowest priority sum, fewest victims, latest start
 * of the highest-priority victims, then first found.
 */
export function pickOneNode(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const OFFSET = 2 ** 31; // keeps the sum's terms non-negative, as upstream
  let best = [...candidates];
  const keepMin = (f: (c: Candidate) => number) => {
    const v = best.map(f);
    const m = Math.min(...v);
    best = best.filter((_, i) => v[i] === m);
  };
  keepMin((c) => c.victims[0]?.priority ?? -Infinity);
  if (best.length > 1) keepMin((c) => c.victims.reduce((s, p) => s + p.priority + OFFSET, 0));
  if (best.length > 1) keepMin((c) => c.victims.length);
  if (best.length > 1) {
    keepMin((c) => {
      const top = c.victims[0]?.priority;
      let earliest = Number.MAX_SAFE_INTEGER;
      for (const p of c.victims) if (p.priority === top) earliest = Math.min(earliest, startTime(p));
      return -earliest;
    });
  }
  return best[0];
}

export class DefaultPreemptionPlugin implements PostFilterPlugin {
  readonly name = DEFAULT_PREEMPTION;
  private readonly minPercentage: number;
  private readonly minAbsolute: number;

  constructor(
    private readonly handle: Handle,
    args: Record<string, unknown> = {},
  ) {
    this.minPercentage = typeof args.minCandidateNodesPercentage === 'number' ? args.minCandidateNodesPercentage : 10;
    this.minAbsolute = typeof args.minCandidateNodesAbsolute === 'number' ? args.minCandidateNodesAbsolute : 100;
  }

  postFilter(state: CycleState, pod: PodInfo, filtered: NodeToStatus): { result?: PostFilterResult; status: Status } {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return { status: Status.unschedulable('preemption: not eligible due to preemptionPolicy=Never.') };
    const nodes = this.handle.snapshot().list();
    const diag = newDiagnosis();
    const potential: NodeInfo[] = [];
    for (const ni of nodes) {
      const st = filtered.get(ni.name);
      if (st?.code === 'UnschedulableAndUnresolvable') diag.nodeToStatus.set(ni.name, Status.unresolvable(REASON_NOT_HELPFUL));
      else potential.push(ni);
    }
    const candidates = this.dryRun(state, pod, potential, diag.nodeToStatus);
    const best = pickOneNode(candidates);
    if (!best) {
      return { status: Status.unschedulable(`preemption: ${fitErrorMessage(diag.nodeToStatus.size, diag)}`) };
    }
    return { result: { nominatedNodeName: best.nodeName, victims: best.victims.map((v) => v.pod) }, status: Status.SUCCESS };
  }

  /** Evaluates up to max(10% of nodes, 100) nodes from a random offset, as upstream. */
  private dryRun(state: CycleState, pod: PodInfo, potential: NodeInfo[], statuses: NodeToStatus): Candidate[] {
    const n = potential.length;
    if (n === 0) return [];
    const want = Math.min(n, Math.max(Math.floor((n * this.minPercentage) / 100), this.minAbsolute));
    const offset = this.handle.random(n);
    const out: Candidate[] = [];
    for (let i = 0; i < n && out.length < want; i++) {
      const ni = potential[(offset + i) % n]!;
      const r = this.selectVictimsOnNode(state.clone(), pod, ni.clone());
      if (r.status.isSuccess()) out.push({ nodeName: ni.name, victims: r.victims });
      else statuses.set(ni.name, r.status);
    }
    return out;
  }

  /** Removes all lower-priority pods, then reprieves as many as still allow the pod to fit. */
  selectVictimsOnNode(state: CycleState, pod: PodInfo, ni: NodeInfo): { victims: PodInfo[]; status: Status } {
    const potential = ni.pods.filter((p) => p.priority < pod.priority);
    if (potential.length === 0) return { victims: [], status: Status.unresolvable(REASON_NO_VICTIMS) };
    for (const v of potential) {
      ni.removePod(v.key);
      const st = this.handle.runPreFilterExtensionRemovePod(state, pod, v, ni);
      if (!st.isSuccess()) return { victims: [], status: st };
    }
    const fits = this.handle.runFilterPlugins(state, pod, ni);
    if (!fits.isSuccess()) return { victims: [], status: fits };
    potential.sort(moreImportant);
    const victims: PodInfo[] = [];
    for (const v of potential) {
      ni.addPod(v);
      const st = this.handle.runPreFilterExtensionAddPod(state, pod, v, ni);
      if (!st.isSuccess()) return { victims: [], status: st };
      if (this.handle.runFilterPlugins(state, pod, ni).isSuccess()) continue; // reprieved
      ni.removePod(v.key);
      const st2 = this.handle.runPreFilterExtensionRemovePod(state, pod, v, ni);
      if (!st2.isSuccess()) return { victims: [], status: st2 };
      victims.push(v);
    }
    if (victims.length === 0) return { victims: [], status: Status.error(`expected at least one victim pod on node "${ni.name}"`) };
    return { victims, status: Status.SUCCESS };
  }
}
