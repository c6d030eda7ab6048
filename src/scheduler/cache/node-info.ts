// Everything the scheduler needs to know about one node: the Node object,
// the pods bound (or assumed) to it, and running totals kept up to date
// incrementally as pods come and go.
import { nodeAllocatable, Resource } from '../resources.js';
import type { Node, Taint } from '../types.js';
import { HostPortSet } from './host-ports.js';
import type { PodInfo } from './pod-info.js';

export class NodeInfo {
  node: Node | undefined;
  readonly pods: PodInfo[] = [];
  /** Pods with any (anti-)affinity, required or preferred. */
  readonly podsWithAffinity: PodInfo[] = [];
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  requested = new Resource();
  /** Requests with the best-effort defaults applied; scoring uses these. */
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  usedPorts = new HostPortSet();
  /** Bumped on every change; lets callers cache per-node results. */
  generation = 0;
  /** Memoized match counts by slot (see match-count.ts); an entry is valid for its generation and key. */
  readonly matchMemo: { gens: number[]; keys: string[]; counts: number[] } = { gens: [], keys: [], counts: [] };

  constructor(readonly name: string, node?: Node) {
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation++;
  }

  get labels(): Record<string, string> {
    return this.node?.metadata.labels ?? {};
  }

  get taints(): readonly Taint[] {
    return this.node?.spec?.taints ?? [];
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.push(pi);
    this.requested.addScaled(pi.requests, 1);
    this.nonZeroRequested.addScaled(pi.nonZeroRequests, 1);
    for (const p of pi.hostPorts) this.usedPorts.add(p);
    this.generation++;
  }

  /** Removes the pod with this key; returns it, or undefined when absent. */
  removePod(key: string): PodInfo | undefined {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return undefined;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    removeFrom(this.podsWithAffinity, pi);
    removeFrom(this.podsWithRequiredAntiAffinity, pi);
    this.requested.addScaled(pi.requests, -1);
    this.nonZeroRequested.addScaled(pi.nonZeroRequests, -1);
    for (const p of pi.hostPorts) this.usedPorts.remove(p);
    this.generation++;
    return pi;
  }

  /** An independent copy, for what-if evaluation (preemption). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.pods.push(...this.pods);
    c.podsWithAffinity.push(...this.podsWithAffinity);
    c.podsWithRequiredAntiAffinity.push(...this.podsWithRequiredAntiAffinity);
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable;
    c.usedPorts = this.usedPorts.clone();
    c.generation = this.generation;
    return c;
  }
}

function removeFrom(list: PodInfo[], pi: PodInfo): void {
  const i = list.indexOf(pi);
  if (i >= 0) list.splice(i, 1);
}
