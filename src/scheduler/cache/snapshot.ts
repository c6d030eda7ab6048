// The read-only view of the cluster that plugins see during a cycle.
import type { NamespaceLabels } from './pod-info.js';
import type { NodeInfo } from './node-info.js';

export interface Snapshot {
  /** Nodes that have a Node object, in a stable order. */
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes hosting at least one pod with (anti-)affinity terms. */
  havePodsWithAffinity(): readonly NodeInfo[];
  /** Nodes hosting at least one pod with required anti-affinity terms. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  readonly namespaceLabels: NamespaceLabels;
}
