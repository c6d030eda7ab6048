// Completion indexes: a pod's index, and the compressed `1,3-5` form of
// status.completedIndexes.
import type { Pod } from '../../client/types.js';
import { COMPLETION_INDEX_KEY } from './types.js';

/** The pod's completion index (annotation, else label), or -1 when missing or malformed. */
export function podIndex(pod: Pod): number {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_KEY] ?? pod.metadata.labels?.[COMPLETION_INDEX_KEY];
  return v !== undefined && /^(0|[1-9][0-9]*)$/.test(v) ? Number(v) : -1;
}

/** Parses `1,3-5,7`; ignores malformed pieces and indexes >= completions. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return out;
}

/** Sorted, with runs of consecutive indexes as `a-b` (runs of two as `a,b`, as upstream). */
export function formatIndexes(set: Iterable<number>): string {
  const xs = [...new Set(set)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    if (j === i) parts.push(String(xs[i]));
    else if (j === i + 1) parts.push(String(xs[i]), String(xs[j]));
    else parts.push(`${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
