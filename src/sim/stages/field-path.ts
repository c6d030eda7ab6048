// jq-like field paths for stage selectors: `.a.b`, `.a["x/y"]`, `.a[].b`.
import { SimConfigError } from '../errors.js';
import { isObject as isRecord } from '../../api/json.js';

/** A parsed path: property names, and ANY for `[]` (every element of an array). */
export const ANY = Symbol('any element');
export type PathSegment = string | typeof ANY;

const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]*)|\["((?:[^"\\]|\\.)*)"\]|\[\]|\.\[\]/y;

export function parseFieldPath(path: string): PathSegment[] {
  if (!path.startsWith('.')) throw new SimConfigError(`field path must start with ".": ${JSON.stringify(path)}`);
  const out: PathSegment[] = [];
  let pos = 0;
  while (pos < path.length) {
    SEGMENT.lastIndex = pos;
    const m = SEGMENT.exec(path);
    if (!m) throw new SimConfigError(`bad field path ${JSON.stringify(path)} at ${pos}`);
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
    else out.push(ANY);
    pos = SEGMENT.lastIndex;
  }
  return out;
}

/** Every value the path reaches; missing and null values are left out, `[]` fans out. */
export function valuesAt(obj: unknown, path: readonly PathSegment[]): unknown[] {
  let current: unknown[] = [obj];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg === ANY) {
        if (Array.isArray(v)) next.push(...v.filter((x) => x !== null && x !== undefined));
      } else if (isRecord(v) && v[seg] !== undefined && v[seg] !== null) {
        next.push(v[seg]);
      }
    }
    current = next;
  }
  return current;
}
