// The scheduler cache: nodes and pods as the informers report them, plus
// pods the scheduler has assumed onto a node before the binding is seen.
// Every change touches one NodeInfo, so 5,000 nodes × 10,000 pods costs no
// rebuild; scheduling reads the cache directly through the Snapshot view
// (a cycle is synchronous, so nothing changes under it).
import { podKey, type Node, type Pod } from '../types.js';
import { selectorKey } from './match-count.js';
import { NodeInfo } from './node-info.js';
import { PodInfo, type AffinityTerm } from './pod-info.js';
import type { Snapshot, TermGroup, TermKind } from './snapshot.js';

interface MutableTermGroup extends TermGroup {
  readonly nodes: Map<NodeInfo, number>;
}

function termSignature(kind: TermKind, weight: number, t: AffinityTerm): string {
  return [kind, weight, t.topologyKey, [...t.namespaces].sort().join(','), selectorKey(t.namespaceSelector), selectorKey(t.selector)].join('|');
}

function* termsOf(pi: PodInfo): Generator<[TermKind, number, AffinityTerm]> {
  for (const t of pi.requiredAffinity) yield ['requiredAffinity', 0, t];
  for (const t of pi.requiredAntiAffinity) yield ['requiredAntiAffinity', 0, t];
  for (const t of pi.preferredAffinity) yield ['preferredAffinity', t.weight, t];
  for (const t of pi.preferredAntiAffinity) yield ['preferredAntiAffinity', t.weight, t];
}

/** Misuse of the assume/forget protocol; a bug in the caller. */
export class CacheError extends Error {
  override readonly name = 'CacheError';
}

const MAX_CHANGE_LOG = 65_536;

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
  bindingFinished: boolean;
}

export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly nodeList: NodeInfo[] = [];
  private readonly nodeIndex = new Map<NodeInfo, number>();
  private readonly podStates = new Map<string, PodState>();
  readonly namespaceLabels = new Map<string, Record<string, string>>();
  // Listed nodes with affinity pods, kept as sets so a change costs O(1);
  // the arrays handed out are rebuilt only after a change.
  private readonly affinitySet = new Set<NodeInfo>();
  private readonly antiAffinitySet = new Set<NodeInfo>();
  private affinityNodes: NodeInfo[] | undefined;
  private antiAffinityNodes: NodeInfo[] | undefined;
  private readonly groups = new Map<string, MutableTermGroup>();
  // Changed NodeInfos in order; changeLog[0] has sequence number changeBase.
  private changeLog: NodeInfo[] = [];
  private changeBase = 0;

  // ---- Snapshot ----

  list(): readonly NodeInfo[] {
    return this.nodeList;
  }

  get(nodeName: string): NodeInfo | undefined {
    const ni = this.infos.get(nodeName);
    return ni?.node ? ni : undefined;
  }

  havePodsWithAffinity(): readonly NodeInfo[] {
    return (this.affinityNodes ??= [...this.affinitySet]);
  }

  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return (this.antiAffinityNodes ??= [...this.antiAffinitySet]);
  }

  termGroups(): Iterable<TermGroup> {
    return this.groups.values();
  }

  get changeSeq(): number {
    return this.changeBase + this.changeLog.length;
  }

  forEachChangeSince(seq: number, fn: (ni: NodeInfo) => void): boolean {
    if (seq < this.changeBase || seq > this.changeSeq) return false;
    for (let i = seq - this.changeBase; i < this.changeLog.length; i++) fn(this.changeLog[i]!);
    return true;
  }

  private touched(ni: NodeInfo): void {
    this.changeLog.push(ni);
    // Keep a bounded history; consumers further behind rebuild from scratch.
    if (this.changeLog.length > MAX_CHANGE_LOG) {
      const drop = this.changeLog.length - MAX_CHANGE_LOG / 2;
      this.changeLog = this.changeLog.slice(drop);
      this.changeBase += drop;
    }
  }

  // ---- nodes ----

  addNode(node: Node): NodeInfo {
    const name = node.metadata.name ?? '';
    let ni = this.infos.get(name);
    if (!ni) this.infos.set(name, (ni = new NodeInfo(name)));
    const listed = ni.node !== undefined;
    ni.setNode(node);
    this.touched(ni);
    if (!listed) {
      this.nodeIndex.set(ni, this.nodeList.length);
      this.nodeList.push(ni);
      this.trackAffinity(ni);
    }
    return ni;
  }

  updateNode(node: Node): NodeInfo {
    return this.addNode(node);
  }

  removeNode(name: string): void {
    const ni = this.infos.get(name);
    if (!ni?.node) return;
    // Swap-remove keeps removal O(1); order only matters for sampling fairness.
    const i = this.nodeIndex.get(ni)!;
    const last = this.nodeList.pop()!;
    if (last !== ni) {
      this.nodeList[i] = last;
      this.nodeIndex.set(last, i);
    }
    this.nodeIndex.delete(ni);
    ni.node = undefined;
    ni.generation++;
    this.touched(ni);
    this.trackAffinity(ni);
    // Pods still bound to a deleted node keep their NodeInfo until they go.
    if (ni.pods.length === 0) this.infos.delete(name);
  }

  nodeCount(): number {
    return this.nodeList.length;
  }

  // ---- namespaces (for namespaceSelector) ----

  setNamespace(name: string, labels: Record<string, string> | undefined): void {
    this.namespaceLabels.set(name, labels ?? {});
  }

  removeNamespace(name: string): void {
    this.namespaceLabels.delete(name);
  }

  // ---- pods (informer view) ----

  /** A pod with spec.nodeName seen by the informer; confirms an assumed pod. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const st = this.podStates.get(key);
    if (st) this.detach(key, st);
    this.attach(key, new PodInfo(pod), nodeName, false);
  }

  updatePod(_old: Pod, pod: Pod): void {
    const st = this.podStates.get(podKey(pod));
    if (st && !pod.spec?.nodeName) return;
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st) this.detach(key, st);
  }

  // ---- assume protocol (scheduler's own decisions) ----

  /** Counts the pod on `nodeName` at once, before the binding is written. */
  assumePod(pod: Pod, nodeName: string): PodInfo {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new CacheError(`pod ${key} is in the cache, so can't be assumed`);
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName } };
    const pi = new PodInfo(assumed);
    this.attach(key, pi, nodeName, true);
    return pi;
  }

  /** The binding call returned; the pod stays assumed until the informer confirms it. */
  finishBinding(pod: Pod): void {
    const st = this.podStates.get(podKey(pod));
    if (st?.assumed) st.bindingFinished = true;
  }

  /** Binding failed: undo the assumption. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st) return;
    if (!st.assumed) throw new CacheError(`pod ${key} wasn't assumed so cannot be forgotten`);
    this.detach(key, st);
  }

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(podKey(pod))?.assumed === true;
  }

  podCount(): number {
    return this.podStates.size;
  }

  /** The node a pod is (or is assumed to be) on. */
  podNode(pod: Pod): string | undefined {
    return this.podStates.get(podKey(pod))?.nodeName;
  }

  private attach(key: string, info: PodInfo, nodeName: string, assumed: boolean): void {
    let ni = this.infos.get(nodeName);
    if (!ni) this.infos.set(nodeName, (ni = new NodeInfo(nodeName)));
    ni.addPod(info);
    this.touched(ni);
    this.podStates.set(key, { info, nodeName, assumed, bindingFinished: false });
    if (info.hasAffinity) {
      this.trackAffinity(ni);
      this.indexTerms(info, ni, 1);
    }
  }

  private detach(key: string, st: PodState): void {
    this.podStates.delete(key);
    const ni = this.infos.get(st.nodeName);
    if (!ni) return;
    ni.removePod(key);
    this.touched(ni);
    if (!ni.node && ni.pods.length === 0) this.infos.delete(st.nodeName);
    if (st.info.hasAffinity) {
      this.trackAffinity(ni);
      this.indexTerms(st.info, ni, -1);
    }
  }

  private indexTerms(pi: PodInfo, ni: NodeInfo, sign: 1 | -1): void {
    for (const [kind, weight, term] of termsOf(pi)) {
      const sig = termSignature(kind, weight, term);
      let g = this.groups.get(sig);
      if (!g) {
        if (sign < 0) continue;
        this.groups.set(sig, (g = { kind, term, weight, nodes: new Map() }));
      }
      const n = (g.nodes.get(ni) ?? 0) + sign;
      if (n > 0) g.nodes.set(ni, n);
      else g.nodes.delete(ni);
      if (g.nodes.size === 0) this.groups.delete(sig);
    }
  }

  private trackAffinity(ni: NodeInfo): void {
    const listed = ni.node !== undefined;
    if (toggle(this.affinitySet, ni, listed && ni.podsWithAffinity.length > 0)) this.affinityNodes = undefined;
    if (toggle(this.antiAffinitySet, ni, listed && ni.podsWithRequiredAntiAffinity.length > 0)) this.antiAffinityNodes = undefined;
  }
}

/** Makes membership equal `want`; true when it changed. */
function toggle<T>(set: Set<T>, v: T, want: boolean): boolean {
  if (want === set.has(v)) return false;
  if (want) set.add(v);
  else set.delete(v);
  return true;
}
