// A pod informer index by `spec.nodeName`, shared by the controllers that
// need "the pods on node X" (node lifecycle, pod GC).
import type { SharedInformer } from '../client/informer.js';
import type { Pod } from '../client/types.js';

export const POD_NODE_INDEX = 'spec.nodeName';

/** Adds the index unless another controller on the same informer already did. */
export function ensurePodNodeIndex(pods: SharedInformer<Pod>): void {
  if (!pods.store.hasIndexer(POD_NODE_INDEX)) pods.addIndexer(POD_NODE_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
}
