// Narrowing accessors over untyped JSON objects, so printers can read nested
// fields without `any` and without throwing on missing or mistyped data.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Walks a path of keys; returns undefined as soon as a step is missing. */
export function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function obj(v: unknown, ...path: string[]): Obj {
  const r = get(v, ...path);
  return isObj(r) ? r : {};
}

export function str(v: unknown, ...path: string[]): string {
  const r = get(v, ...path);
  return typeof r === 'string' ? r : '';
}

/** A string field that may be absent (as opposed to empty). */
export function optStr(v: unknown, ...path: string[]): string | undefined {
  const r = get(v, ...path);
  return typeof r === 'string' ? r : undefined;
}

export function num(v: unknown, ...path: string[]): number {
  const r = get(v, ...path);
  return typeof r === 'number' && Number.isFinite(r) ? r : 0;
}

export function optNum(v: unknown, ...path: string[]): number | undefined {
  const r = get(v, ...path);
  return typeof r === 'number' && Number.isFinite(r) ? r : undefined;
}

export function optBool(v: unknown, ...path: string[]): boolean | undefined {
  const r = get(v, ...path);
  return typeof r === 'boolean' ? r : undefined;
}

export function bool(v: unknown, ...path: string[]): boolean {
  return optBool(v, ...path) ?? false;
}

export function arr(v: unknown, ...path: string[]): unknown[] {
  const r = get(v, ...path);
  return Array.isArray(r) ? r : [];
}

export function objs(v: unknown, ...path: string[]): Obj[] {
  return arr(v, ...path).filter(isObj);
}

export function strs(v: unknown, ...path: string[]): string[] {
  return arr(v, ...path).filter((x): x is string => typeof x === 'string');
}

/** A string-to-string map such as labels, annotations or a selector. */
export function strMap(v: unknown, ...path: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v, ...path))) {
    if (typeof val === 'string') out[k] = val;
  }
  return out;
}

/** Number of keys of a map field (configmap data, secret data). */
export function keyCount(v: unknown, ...path: string[]): number {
  return Object.keys(obj(v, ...path)).length;
}

/** IntOrString rendered as upstream's IntOrString.String(). */
export function intOrString(v: unknown): string | undefined {
  if (typeof v === 'number') return String(Math.trunc(v));
  if (typeof v === 'string') return v;
  return undefined;
}
