// Which fields differ between two versions of an object: upstream's
// TypedValue.Compare. Leaves that appear, disappear or change land in
// added/removed/modified; so do list items, map entries and maps as nodes
// when they appear or disappear as a whole.
import { FieldSet } from './field-set.js';
import { fieldElement, type PathElement } from './path-element.js';
import { childSchemaPath, deepEqual, indexList, isObject, listTypeOf, mapTypeOf, type Schema } from './schema.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(lhs: unknown, rhs: unknown, schema: Schema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(lhs, rhs, [], [], c, schema, false);
  return c;
}

export const isSame = (c: Comparison) => c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();

/** Filters every part of a comparison by fields that must not be tracked (reset fields). */
export function filterComparison(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored) return c;
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

function leaf(l: unknown, r: unknown, path: PathElement[], c: Comparison): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!deepEqual(l, r)) c.modified.insert(path);
}

const isEmptyObject = (v: unknown) => v === undefined || (isObject(v) && Object.keys(v).length === 0);
const isEmptyList = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);

// `ownedAsNode`: whether this node counts as a field of its own when it
// appears or disappears whole (list items, map entries, maps). Plain struct
// fields do not: upstream's typed objects always carry their struct fields.
function walk(l: unknown, r: unknown, path: PathElement[], spath: string[], c: Comparison, schema: Schema, ownedAsNode: boolean): void {
  const shape = l === undefined ? r : l;
  const other = l === undefined ? undefined : r;
  const sameShape = other === undefined || Array.isArray(shape) === Array.isArray(other) && isObject(shape) === isObject(other);
  if (!sameShape) return leaf(l, r, path, c);

  if (isObject(shape)) {
    const kind = mapTypeOf(schema, spath);
    if (kind === 'atomic' || (isEmptyObject(l) && isEmptyObject(r))) return leaf(l, r, path, c);
    const lo = (l ?? {}) as Record<string, unknown>;
    const ro = (r ?? {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(lo), ...Object.keys(ro)]);
    for (const k of keys) {
      const pe = fieldElement(k);
      const childPath = childSchemaPath(spath, pe);
      const childIsMap = kind === 'map' || mapTypeOf(schema, childPath) === 'map';
      walk(lo[k], ro[k], [...path, pe], childPath, c, schema, childIsMap);
    }
    node(l, r, path, c, ownedAsNode);
    return;
  }

  if (Array.isArray(shape)) {
    const list = listTypeOf(schema, spath);
    if (list.type === 'atomic' || (isEmptyList(l) && isEmptyList(r))) return leaf(l, r, path, c);
    const li = indexList(list, l as unknown[] | undefined);
    const ri = indexList(list, r as unknown[] | undefined);
    const ids = new Set([...li.byId.keys(), ...ri.byId.keys()]);
    for (const id of ids) {
      const item = (li.byId.get(id) ?? ri.byId.get(id))!;
      walk(li.byId.get(id)?.value, ri.byId.get(id)?.value, [...path, item.pe], childSchemaPath(spath, item.pe), c, schema, true);
    }
    node(l, r, path, c, ownedAsNode);
    return;
  }
  leaf(l, r, path, c);
}

function node(l: unknown, r: unknown, path: PathElement[], c: Comparison, ownedAsNode: boolean): void {
  if (!ownedAsNode) return;
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}
