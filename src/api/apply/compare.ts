// Which fields differ between two versions of an object: upstream's
// TypedValue.Compare. Leaves that appear, disappear or change land in
// added/removed/modified; so do list items, map entries and maps as nodes
// when they appear or disappear as a whole.
import { FieldSet } from './field-set.js';
import { fieldElement, type PathElement } from './path-element.js';
import { deepEqual, indexList, isObject, listTypeOf, mapTypeOf, type Schema } from './schema.js';

type MapKind = ReturnType<typeof mapTypeOf>;

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * `skip`: top-level fields not to look into at all (a status write never
 * tracks spec): the same result as filtering them out afterwards, without
 * walking what may be most of the object.
 */
export function compareObjects(lhs: unknown, rhs: unknown, schema: Schema, skip?: ReadonlySet<string>): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  if (skip?.size && isObject(lhs) && isObject(rhs)) {
    const without = (o: Record<string, unknown>) => {
      const out: Record<string, unknown> = {};
      for (const k in o) if (!skip.has(k)) out[k] = o[k];
      return out;
    };
    walk(without(lhs), without(rhs), Cursor.root(c), [], schema, false);
  } else walk(lhs, rhs, Cursor.root(c), [], schema, false);
  return c;
}

/** The top-level field names of a set made only of top-level fields (else undefined): what compareObjects can skip. */
export function topLevelFields(set: FieldSet | undefined): ReadonlySet<string> | undefined {
  if (!set) return undefined;
  const names = new Set<string>();
  for (const p of set.paths()) {
    const pe = p[0];
    if (p.length !== 1 || pe?.kind !== 'field') return undefined;
    names.add(pe.name);
  }
  return names;
}

export const isSame = (c: Comparison) => c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();

/** Filters every part of a comparison by fields that must not be tracked (reset fields). */
export function filterComparison(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored) return c;
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

// Where the walk is: the element that led here and, per result set, the trie
// node for this path, made on first use. Members are added node by node, so
// no path array is built and no prefix is serialized twice.
class Cursor {
  private added: FieldSet | undefined;
  private modified: FieldSet | undefined;
  private removed: FieldSet | undefined;
  constructor(
    private readonly parent: Cursor | undefined,
    private readonly pe: PathElement | undefined,
    private readonly id: string,
  ) {}

  static root(c: Comparison): Cursor {
    const root = new Cursor(undefined, undefined, '');
    root.added = c.added;
    root.modified = c.modified;
    root.removed = c.removed;
    return root;
  }

  child(pe: PathElement, id: string): Cursor {
    return new Cursor(this, pe, id);
  }

  /** Records this path in one result set (the root is never a member). */
  mark(which: Which): void {
    if (this.parent) this.parent.node(which).addMember(this.pe!, this.id);
  }

  /** Records the path of a direct child, without a cursor for it (leaves need none). */
  markChild(which: Which, pe: PathElement, id: string): void {
    this.node(which).addMember(pe, id);
  }

  private node(which: Which): FieldSet {
    const have = which === ADDED ? this.added : which === MODIFIED ? this.modified : this.removed;
    if (have) return have;
    const made = this.parent!.node(which).childFor(this.pe!, this.id);
    if (which === ADDED) this.added = made;
    else if (which === MODIFIED) this.modified = made;
    else this.removed = made;
    return made;
  }
}

const ADDED = 0;
const MODIFIED = 1;
const REMOVED = 2;
type Which = typeof ADDED | typeof MODIFIED | typeof REMOVED;

/**
 * Deep equality that fails on any undefined value: the walk marks a key whose
 * value is undefined on both sides as added, so such a subtree must be walked.
 */
function sameDefined(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === null || typeof a !== 'object') return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameDefined(x, b[i]));
  if (!isObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameDefined((a as Record<string, unknown>)[k], b[k]));
}

function leaf(l: unknown, r: unknown, at: Cursor): void {
  if (l === undefined) at.mark(ADDED);
  else if (r === undefined) at.mark(REMOVED);
  else if (!deepEqual(l, r)) at.mark(MODIFIED);
}

// Stands in for a missing side. Note lookups on it (as on any plain object)
// see Object.prototype, e.g. NONE['constructor']; kept as it always was.
const NONE: Record<string, unknown> = Object.freeze({});

function scalarLeaf(l: unknown, r: unknown, parent: Cursor, pe: PathElement, id: string): void {
  if (l === undefined) parent.markChild(ADDED, pe, id);
  else if (r === undefined) parent.markChild(REMOVED, pe, id);
  else if (!deepEqual(l, r)) parent.markChild(MODIFIED, pe, id);
}

const isEmptyList = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);

// `ownedAsNode`: whether this node counts as a field of its own when it
// appears or disappears whole (list items, map entries, maps). Plain struct
// fields do not: upstream's typed objects always carry their struct fields.
// `kind`: this node's map type when the caller already looked it up.
function walk(l: unknown, r: unknown, at: Cursor, spath: string[], schema: Schema, ownedAsNode: boolean, kind?: MapKind): void {
  const shape = l === undefined ? r : l;
  const other = l === undefined ? undefined : r;
  const sameShape = other === undefined || Array.isArray(shape) === Array.isArray(other) && isObject(shape) === isObject(other);
  if (!sameShape) return leaf(l, r, at);

  if (isObject(shape)) {
    const mine = kind ?? mapTypeOf(schema, spath);
    if (mine === 'atomic') return leaf(l, r, at);
    const lo = (l ?? NONE) as Record<string, unknown>;
    const ro = (r ?? NONE) as Record<string, unknown>;
    const lkeys = Object.keys(lo);
    const rkeys = Object.keys(ro);
    if (lkeys.length === 0 && rkeys.length === 0) return leaf(l, r, at);
    const field = (k: string) => {
      const lv = lo[k];
      const rv = ro[k];
      const pe = fieldElement(k);
      const id = `f:${k}`;
      const childShape = lv === undefined ? rv : lv;
      // Scalars are leaves whatever the schema says: skip the cursor, path and schema lookups.
      if (childShape === null || typeof childShape !== 'object') return scalarLeaf(lv, rv, at, pe, id);
      // An unchanged subtree marks nothing: a plain equality check is far cheaper than its schema-guided walk.
      if (sameDefined(lv, rv)) return;
      const child = at.child(pe, id);
      const childPath = [...spath, k];
      const childKind = mine === 'map' ? undefined : mapTypeOf(schema, childPath);
      walk(lv, rv, child, childPath, schema, mine === 'map' || childKind === 'map', childKind);
    };
    // Every key of either side once; the order does not matter (sets are sorted on output).
    for (const k of lkeys) field(k);
    if (lkeys.length === 0) for (const k of rkeys) field(k);
    else for (const k of rkeys) if (!Object.hasOwn(lo, k)) field(k);
    node(l, r, at, ownedAsNode);
    return;
  }

  if (Array.isArray(shape)) {
    const list = listTypeOf(schema, spath);
    if (list.type === 'atomic' || (isEmptyList(l) && isEmptyList(r))) return leaf(l, r, at);
    const li = indexList(list, l as unknown[] | undefined);
    const ri = indexList(list, r as unknown[] | undefined);
    const itemPath = [...spath, '[]'];
    const item = (id: string, pe: PathElement) => walk(li.byId.get(id)?.value, ri.byId.get(id)?.value, at.child(pe, id), itemPath, schema, true);
    for (const [id, it] of li.byId) item(id, it.pe);
    for (const [id, it] of ri.byId) if (!li.byId.has(id)) item(id, it.pe);
    node(l, r, at, ownedAsNode);
    return;
  }
  leaf(l, r, at);
}

function node(l: unknown, r: unknown, at: Cursor, ownedAsNode: boolean): void {
  if (!ownedAsNode) return;
  if (l === undefined) at.mark(ADDED);
  else if (r === undefined) at.mark(REMOVED);
}
