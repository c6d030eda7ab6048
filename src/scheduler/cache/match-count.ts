// Per-node counts of pods matching a selector, memoized by the node's
// generation: a cycle recounts only nodes that changed since the last one,
// which turns the O(all pods) scans of affinity and spreading into O(nodes).
import { selectorToString, type LabelSelector } from '../../api/labels.js';
import type { NodeInfo } from './node-info.js';
import type { AffinityTerm, PodInfo } from './pod-info.js';

/** A memo slot for one predicate: build once per cycle with `memoRef`. */
export interface MemoRef {
  readonly key: string;
  readonly slot: number;
}

// Keys are interned to small slot numbers so the per-node lookup is an array
// index. Slots are recycled past the limit; a recycled slot's old entries
// miss because each entry also records its key.
const MAX_SLOTS = 256;
const slots = new Map<string, number>();
let nextSlot = 0;

export function memoRef(key: string): MemoRef {
  let slot = slots.get(key);
  if (slot === undefined) {
    if (slots.size >= MAX_SLOTS) {
      slots.clear();
      nextSlot = 0;
    }
    slot = nextSlot++;
    slots.set(key, slot);
  }
  return { key, slot };
}

/** Counts pods on `ni` satisfying `pred`, which `ref.key` must identify exactly. */
export function countMatchingPods(ni: NodeInfo, ref: MemoRef, pred: (p: PodInfo) => boolean): number {
  const m = ni.matchMemo;
  const i = ref.slot;
  if (m.gens[i] === ni.generation && m.keys[i] === ref.key) return m.counts[i]!;
  let count = 0;
  for (const p of ni.pods) if (pred(p)) count++;
  m.gens[i] = ni.generation;
  m.keys[i] = ref.key;
  m.counts[i] = count;
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
