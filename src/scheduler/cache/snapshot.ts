// The read-only view of the cluster that plugins see during a cycle.
import type { AffinityTerm, NamespaceLabels } from './pod-info.js';
import type { NodeInfo } from './node-info.js';

export type TermKind = 'requiredAffinity' | 'requiredAntiAffinity' | 'preferredAffinity' | 'preferredAntiAffinity';

/** One distinct (anti-)affinity term of existing pods, with how many pods on each node carry it. */
export interface TermGroup {
  readonly kind: TermKind;
  readonly term: AffinityTerm;
  /** 0 for required terms. */
  readonly weight: number;
  /** Node → pods with this term (nodes may be unlisted: check `node`). */
  readonly nodes: ReadonlyMap<NodeInfo, number>;
}

export interface Snapshot {
  /** Nodes that have a Node object, in a stable order. */
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes hosting at least one pod with (anti-)affinity terms. */
  havePodsWithAffinity(): readonly NodeInfo[];
  /** Nodes hosting at least one pod with required anti-affinity terms. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  readonly namespaceLabels: NamespaceLabels;
  /** Existing pods' terms grouped by identity, so a cycle matches each distinct term once. */
  termGroups(): Iterable<TermGroup>;
  /** A counter bumped whenever a node or the pods on it change (optional: enables incremental aggregates). */
  readonly changeSeq?: number;
  /**
   * Calls `fn` for each NodeInfo changed since `seq` (repeats possible, removed
   * nodes included); false when that history is no longer kept.
   */
  forEachChangeSince?(seq: number, fn: (ni: NodeInfo) => void): boolean;
}
