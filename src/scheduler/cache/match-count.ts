// Per-node counts of pods matching a selector, memoized by the node's
// generation: a cycle recounts only nodes that changed since the last one,
// which turns the O(all pods) scans of affinity and spreading into O(nodes).
import { selectorToString, type LabelSelector } from '../../api/labels.js';
import type { NodeInfo } from './node-info.js';
import type { AffinityTerm, PodInfo } from './pod-info.js';

/**
 * Counts pods on `ni` satisfying `pred`; `key` must identify `pred` exactly.
 * Build the key once per cycle, not per node: hashing it is the hot path.
 */
export function countMatchingPods(ni: NodeInfo, key: string, pred: (p: PodInfo) => boolean): number {
  const hit = ni.matchCounts.get(key);
  if (hit !== undefined && hit.gen === ni.generation) return hit.count;
  let count = 0;
  for (const p of ni.pods) if (pred(p)) count++;
  if (hit !== undefined) {
    hit.gen = ni.generation;
    hit.count = count;
  } else ni.matchCounts.set(key, { gen: ni.generation, count });
  return count;
}

export function selectorKey(sel: LabelSelector): string {
  return sel.nothing ? '\u0000nothing' : selectorToString(sel);
}

/**
 * A key for a term's match on pods, or undefined when the result also depends
 * on namespace labels (namespaceSelector), which node generations do not track.
 */
export function termKey(t: AffinityTerm): string | undefined {
  if (!t.namespaceSelector.nothing) return undefined;
  return `${[...t.namespaces].sort().join(',')}|${selectorKey(t.selector)}`;
}
