// Narrowing helpers for decoded JSON objects (API objects arrive as unknown).

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object at v, or an empty one (never shared: callers may not mutate it). */
export const asObject = (v: unknown): JsonObject => (isObject(v) ? v : {});
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
export const optString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const optNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The object stored under key, created (and stored) when missing. */
export function ensureObject(parent: JsonObject, key: string): JsonObject {
  const cur = parent[key];
  if (isObject(cur)) return cur;
  const fresh: JsonObject = {};
  parent[key] = fresh;
  return fresh;
}

/** Sets key when it is absent (undefined or null). */
export function setDefault(parent: JsonObject, key: string, value: unknown): void {
  if (parent[key] === undefined || parent[key] === null) parent[key] = value;
}

/** The objects in an array field, skipping anything that is not an object. */
export const objectsIn = (v: unknown): JsonObject[] => asArray(v).filter(isObject);

// Upstream's semantic equality treats nil and empty lists alike; so do we.
const absent = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** Structural equality for JSON values (key order ignored, missing == null == []). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (absent(a[k]) && absent(b[k])) continue;
      if (!jsonEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return absent(a) && absent(b);
}
