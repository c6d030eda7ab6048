// Strategic merge patch, as the API server applies it (kubectl apply, set
// image, rollout restart, patch --type strategic). Lists are merged by the
// merge key the schema declares, and the patch may carry directives:
//   null                          delete the key
//   $patch: replace|delete        in a map, or as a list item
//   $retainKeys: [..]             drop every other key of the map
//   $setElementOrder/<list>: [..] final order of a merged list
//   $deleteFromPrimitiveList/<list>: [..]  remove values from a merged list of scalars
// The element order of merged lists follows upstream: $setElementOrder, then
// the order in the patch, then the order in the live object.
import { goFormat, PatchError } from './errors.js';
import type { FieldPatchMeta, PatchMeta } from './patch-meta.js';
import { isObject } from '../json.js';

type JSONObject = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';

// Upstream's error values, with their HTTP classification.
const badPrimitiveList = () => new PatchError(400, 'invalid patch format of primitive list');
const badRetainKeys = () => new PatchError(400, 'invalid patch format of retainKeys');
const badSetOrder = () => new PatchError(400, 'invalid patch format of setElementOrder list');
const noMergeKey = (m: unknown, key: string) =>
  new PatchError(500, `map: ${goFormat(m)} does not contain declared merge key: ${key}`);

type ValueKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as ValueKind;
}

/** The field's strategy without `retainKeys` (which only licenses the directive). */
function baseStrategy(f: FieldPatchMeta): 'merge' | 'replace' | undefined {
  const parts = (f.strategy ?? '').split(',').filter((p) => p !== '' && p !== 'retainKeys');
  if (parts.length > 1) throw new PatchError(500, `unexpected patch strategy: ${f.strategy}`);
  return parts[0] as 'merge' | 'replace' | undefined;
}

function directiveKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw prefix === SET_ORDER ? badSetOrder() : badPrimitiveList();
  return key.slice(slash + 1);
}

/**
 * Applies `patch` to `original` under `schema` and returns the result; the
 * inputs are not modified. Throws PatchError.
 */
export function applyStrategicMergePatch<T = JSONObject>(original: unknown, patch: unknown, schema: PatchMeta): T {
  if (!isObject(patch)) throw new PatchError(400, 'invalid JSON document');
  if (original !== null && original !== undefined && !isObject(original)) throw new PatchError(400, 'invalid JSON document');
  return mergeMap(structuredClone(original ?? {}), structuredClone(patch), schema) as T;
}

// Both arguments are owned (already copied) and may be modified.
function mergeMap(original: JSONObject, patch: JSONObject, schema: PatchMeta): JSONObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    delete patch[DIRECTIVE];
    if (d === 'replace') return patch;
    if (d === 'delete') return {};
    // `merge` is the default behaviour; upstream rejects it in maps, we accept it.
    if (d !== 'merge') throw new PatchError(500, `unknown patch type: ${goFormat(d)} in map: ${goFormat({ ...patch, [DIRECTIVE]: d })}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  const deletions: [string, unknown][] = [];
  for (const [key, pv] of Object.entries(patch)) {
    if (key.startsWith(`${DELETE_PRIMITIVE}/`)) {
      deletions.push([directiveKey(key, DELETE_PRIMITIVE), pv]);
      continue;
    }
    if (pv === null) {
      delete original[key];
      continue;
    }
    const field = schema.field(key);
    const child = schema.child(key);
    const ov = original[key];
    if (!Object.hasOwn(original, key) || kindOf(ov) !== kindOf(pv)) {
      const v = fresh(pv, field, child);
      if (v === undefined) delete original[key];
      else original[key] = v;
      continue;
    }
    if (isObject(ov)) {
      original[key] = baseStrategy(field) === 'replace' ? pv : mergeMap(ov, pv as JSONObject, child);
    } else if (Array.isArray(ov)) {
      original[key] = baseStrategy(field) === 'merge' ? mergeList(ov, pv as unknown[], field.mergeKey ?? '', child) : pv;
    } else {
      original[key] = pv;
    }
  }
  // After the merges, so a list both added to and deleted from ends up the same whatever the key order.
  for (const [key, pv] of deletions) {
    if (!Array.isArray(pv)) throw badPrimitiveList();
    const ov = original[key];
    if (Array.isArray(ov)) original[key] = ov.filter((v) => !pv.includes(v));
  }
  return original;
}

/**
 * The value of a key the original lacks (or holds with another type): the
 * patch value with its nulls and directives resolved against nothing.
 * Undefined means "leave the key out".
 */
function fresh(pv: unknown, field: FieldPatchMeta, child: PatchMeta): unknown {
  if (isObject(pv)) {
    if (pv[DIRECTIVE] === 'delete') return undefined;
    return mergeMap({}, pv, child);
  }
  if (Array.isArray(pv)) return cleanList(pv, child);
  return pv;
}

function cleanList(list: unknown[], child: PatchMeta): unknown[] {
  const out: unknown[] = [];
  for (const el of list) {
    if (isObject(el)) {
      if (Object.hasOwn(el, DIRECTIVE) && (el[DIRECTIVE] === 'delete' || Object.keys(el).length === 1)) continue;
      out.push(mergeMap({}, el, child));
    } else out.push(el);
  }
  return out;
}

function applyRetainKeys(original: JSONObject, patch: JSONObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const keys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keys)) throw badRetainKeys();
  const retain = new Set<unknown>(keys);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(`${DELETE_PRIMITIVE}/`) || k.startsWith(`${SET_ORDER}/`)) continue;
    if (!retain.has(k)) throw badRetainKeys();
  }
  for (const k of Object.keys(original)) if (!retain.has(k)) delete original[k];
}

// Merges each list named by a $setElementOrder directive together with its
// patch list, then puts the result in the directive's order.
function applySetElementOrder(original: JSONObject, patch: JSONObject, schema: PatchMeta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(`${SET_ORDER}/`)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badSetOrder();
    const listKey = directiveKey(key, SET_ORDER);
    const field = schema.field(listKey);
    const mergeKey = field.mergeKey ?? '';
    const hasOriginal = Object.hasOwn(original, listKey);
    const hasPatch = Object.hasOwn(patch, listKey);
    const originalList = hasOriginal ? original[listKey] : [];
    const patchList = hasPatch ? patch[listKey] : [];
    if (!Array.isArray(originalList) || !Array.isArray(patchList)) throw badSetOrder();
    validateOrder(patchList, order, mergeKey);

    let merged: unknown[];
    if (hasOriginal && hasPatch) {
      merged =
        baseStrategy(field) === 'merge' ? mergeList(originalList, patchList, mergeKey, schema.child(listKey)) : patchList;
    } else if (hasPatch) merged = cleanList(patchList, schema.child(listKey));
    else if (hasOriginal) merged = originalList;
    else continue;
    delete patch[listKey];

    const kind = elementKind(originalList, patchList);
    if (kind === undefined) {
      original[listKey] = merged;
      continue;
    }
    const [inOrder, serverOnly] = partition(merged, order, mergeKey, kind);
    original[listKey] = normalizeOrder(inOrder, serverOnly, order, originalList, mergeKey, kind);
  }
}

// The patch list must follow the $setElementOrder list (deletions aside).
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (patchList.length === 0 || order.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete')) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameElement(item, order[o], mergeKey, true)) p++;
    o++;
  }
  if (p < items.length) {
    throw new PatchError(
      500,
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameElement(a: unknown, b: unknown, mergeKey: string, strict: boolean): boolean {
  if (!mergeKey) return a === b;
  if (!isObject(a) || !isObject(b)) return false;
  if (strict) {
    if (!Object.hasOwn(a, mergeKey)) throw noMergeKey(a, mergeKey);
    if (!Object.hasOwn(b, mergeKey)) throw noMergeKey(b, mergeKey);
  }
  return a[mergeKey] === b[mergeKey];
}

/** The common kind of the elements of the lists, undefined when all are empty. */
function elementKind(...lists: unknown[][]): ValueKind | undefined {
  let kind: ValueKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (k === 'array') throw new PatchError(422, 'lists of lists are not supported');
      if (kind === undefined) kind = k;
      else if (kind !== k) throw new PatchError(500, `list element types are not identical: ${goFormat(lists)}`);
    }
  }
  return kind;
}

function mergeList(original: unknown[], patch: unknown[], mergeKey: string, child: PatchMeta): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch)!;
  if (kind !== 'object') {
    // Lists of scalars merge as sets.
    const merged = [...new Set([...original, ...patch])];
    const [inPatch, serverOnly] = partition(merged, patch, '', kind);
    return normalizeOrder(inPatch, serverOnly, patch, original, '', kind);
  }
  if (!mergeKey) throw new PatchError(500, `cannot merge lists without merge key for ${child.definition ?? 'map'}`);

  // Directive items first: deletions and a whole-list replace.
  let base = original;
  let items: JSONObject[] = [];
  let replace = false;
  for (const el of patch as JSONObject[]) {
    if (!Object.hasOwn(el, DIRECTIVE)) {
      items.push(el);
      continue;
    }
    const d = el[DIRECTIVE];
    if (d === 'delete') {
      if (!Object.hasOwn(el, mergeKey)) throw noMergeKey(el, mergeKey);
      base = base.filter((o) => !(isObject(o) && o[mergeKey] === el[mergeKey]));
    } else if (d === 'replace') replace = true;
    else if (d !== 'merge') throw new PatchError(500, `unknown patch type: ${goFormat(d)} in map: ${goFormat(el)}`);
  }
  if (replace) {
    base = items.map((el) => mergeMap({}, el, child));
    items = [];
  }

  const merged = [...base];
  for (const el of items) {
    if (!Object.hasOwn(el, mergeKey)) throw noMergeKey(el, mergeKey);
    const i = merged.findIndex((o) => {
      if (!isObject(o)) throw new PatchError(500, `value for key ${goFormat(o)} is not a map.`);
      return Object.hasOwn(o, mergeKey) && o[mergeKey] === el[mergeKey];
    });
    if (i >= 0) merged[i] = mergeMap(merged[i] as JSONObject, el, child);
    else merged.push(mergeMap({}, el, child));
  }
  const [inPatch, serverOnly] = partition(merged, items, mergeKey, kind);
  return normalizeOrder(inPatch, serverOnly, items, base, mergeKey, kind);
}

/** Splits `list` into the elements present in `by` and the others, keeping their order. */
function partition(list: unknown[], by: unknown[], mergeKey: string, kind: ValueKind): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const others: unknown[] = [];
  for (const v of list) {
    if (kind === 'object' && mergeKey && !(isObject(v) && Object.hasOwn(v, mergeKey))) throw noMergeKey(v, mergeKey);
    (indexIn(by, v, mergeKey, kind) >= 0 ? present : others).push(v);
  }
  return [present, others];
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ValueKind): number {
  if (kind !== 'object' || !mergeKey) return list.indexOf(item);
  const key = isObject(item) ? item[mergeKey] : undefined;
  return list.findIndex((v) => isObject(v) && v[mergeKey] === key);
}

// Patch elements in `patchOrder`, server-only ones in their live order, then
// the two interleaved so that each server-only element keeps its live
// position relative to patch elements the live list also holds.
function normalizeOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ValueKind,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

// Stable sort by position in `order`; elements missing from it go last.
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ValueKind): unknown[] {
  let keep = items;
  let deletes: unknown[] = [];
  if (kind === 'object' && mergeKey) {
    for (const v of [...items, ...order]) if (!(isObject(v) && Object.hasOwn(v, mergeKey))) throw noMergeKey(v, mergeKey);
    keep = items.filter((v) => (v as JSONObject)[DIRECTIVE] !== 'delete');
    deletes = items.filter((v) => (v as JSONObject)[DIRECTIVE] === 'delete');
  }
  const pos = (v: unknown) => {
    const i = indexIn(order, v, mergeKey, kind);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...keep.map((v, i) => ({ v, i, p: pos(v) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.v), ...deletes];
}
