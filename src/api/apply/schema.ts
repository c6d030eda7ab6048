// The little schema knowledge apply needs, taken as callbacks so this module
// stays free of any type table: how each list is merged (x-kubernetes-list-type
// and list-map keys) and how each object is treated (x-kubernetes-map-type).
import { indexElement, keyElement, serializeElement, valueElement, type PathElement } from './path-element.js';
import { isObject } from '../json.js';

export { isObject };

export type ListType =
  /** Items are objects identified by these fields; defaults fill absent key fields (as upstream's schema defaults do). */
  | { type: 'map'; keys: string[]; defaults?: Record<string, unknown> }
  /** Items are scalars, identified by value. */
  | { type: 'set' }
  /** Replaced as a whole. */
  | { type: 'atomic' };

/**
 * List semantics by schema path: field names from the root, list items as '[]'
 * (['spec', 'template', 'spec', 'containers', '[]', 'env']). undefined means atomic,
 * as upstream treats lists without x-kubernetes-list-type.
 */
export type ListKeys = (path: string[]) => ListType | undefined;

/**
 * Object semantics by schema path. 'struct' (the default): fields are tracked
 * one by one; 'map' (a map[string]T such as labels): additionally each entry,
 * and the map itself when added, is owned as a node; 'atomic': a single leaf
 * (x-kubernetes-map-type: atomic, e.g. LabelSelector).
 */
export type MapType = (path: string[]) => 'struct' | 'map' | 'atomic' | undefined;

export interface Schema {
  listKeys: ListKeys;
  mapType?: MapType | undefined;
}

// Built-in facts the default knows: every selector field of the core API is
// atomic (LabelSelector, Service and Pod node selectors); labels, annotations,
// ConfigMap/Secret data and resource quantities are granular maps.
const ATOMIC_FIELDS = new Set(['selector', 'nodeSelector', 'labelSelector', 'namespaceSelector']);
const MAP_FIELDS = new Set(['limits', 'requests']);
const ROOT_MAP_FIELDS = new Set(['data', 'binaryData', 'stringData']);

/** Used when no MapType is given: the built-in kinds' common cases, everything else a struct. */
export const defaultMapType: MapType = (path) => {
  const last = path[path.length - 1] ?? '';
  if (ATOMIC_FIELDS.has(last)) return 'atomic';
  if (path[path.length - 2] === 'metadata' && (last === 'labels' || last === 'annotations')) return 'map';
  if (MAP_FIELDS.has(last) || (path.length === 1 && ROOT_MAP_FIELDS.has(last))) return 'map';
  return 'struct';
};

export const mapTypeOf = (schema: Schema, path: string[]) => (schema.mapType ?? defaultMapType)(path) ?? 'struct';
export const listTypeOf = (schema: Schema, path: string[]): ListType => schema.listKeys(path) ?? { type: 'atomic' };

// Ports are keyed by (containerPort, protocol) and protocol defaults to TCP;
// without the default an applied port without protocol would never match.
const WELL_KNOWN_KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element naming one item of a map or set list. */
export function listItemElement(list: ListType, item: unknown, index: number): PathElement {
  if (list.type === 'set') return valueElement(item);
  if (list.type === 'map' && isObject(item)) {
    const fields: [string, unknown][] = [];
    for (const k of list.keys) {
      const v = k in item ? item[k] : (list.defaults?.[k] ?? WELL_KNOWN_KEY_DEFAULTS[k]);
      if (v !== undefined) fields.push([k, v]);
    }
    if (fields.length > 0) return keyElement(fields);
  }
  return indexElement(index);
}

export const childSchemaPath = (path: string[], pe: PathElement): string[] => [...path, pe.kind === 'field' ? pe.name : '[]'];

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export const clone = <T>(v: T): T => (v === undefined ? v : (structuredClone(v) as T));

export interface ListItem {
  readonly id: string;
  readonly pe: PathElement;
  readonly value: unknown;
}

/** A granular list's items by identity; repeated identities keep the first item, as upstream does. */
export function indexList(list: ListType, items: readonly unknown[] | undefined): { order: ListItem[]; byId: Map<string, ListItem> } {
  const order: ListItem[] = [];
  const byId = new Map<string, ListItem>();
  (items ?? []).forEach((value, i) => {
    const pe = listItemElement(list, value, i);
    const id = serializeElement(pe);
    if (byId.has(id)) return;
    const item = { id, pe, value };
    byId.set(id, item);
    order.push(item);
  });
  return { order, byId };
}
