// Merging an applied configuration into the live object: upstream's
// TypedValue.Merge with "keep the right-hand side". Granular maps and lists
// merge key by key and item by item; leaves, atomic lists and atomic maps take
// the applied value. Nothing is removed here (pruning is a separate step).
import { childSchemaPath, clone, indexList, isObject, listTypeOf, mapTypeOf, type ListItem, type Schema } from './schema.js';
import { fieldElement } from './path-element.js';

export function mergeApplied(live: unknown, applied: unknown, schema: Schema): unknown {
  return merge(live, applied, [], schema);
}

function merge(l: unknown, r: unknown, spath: string[], schema: Schema): unknown {
  if (r === undefined) return l;
  if (l === undefined) return stripNulls(clone(r));
  if (isObject(l) && isObject(r) && mapTypeOf(schema, spath) !== 'atomic') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(l)) {
      const m = k in r ? merge(v, r[k], childSchemaPath(spath, fieldElement(k)), schema) : v;
      if (m !== null || !(k in r)) out[k] = m;
    }
    for (const [k, v] of Object.entries(r)) if (!(k in l) && v !== null) out[k] = stripNulls(clone(v));
    return out;
  }
  if (Array.isArray(l) && Array.isArray(r)) {
    const list = listTypeOf(schema, spath);
    if (list.type !== 'atomic') return mergeLists(l, r, spath, schema, list);
  }
  return stripNulls(clone(r));
}

// An applied `null` asks for the field to be absent; the typed round trip
// upstream drops such fields, so the merged object never holds them.
function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
  return out;
}

/**
 * Item order: live items the configuration does not mention keep their place;
 * items it mentions follow the configuration's order (upstream's merge order).
 */
function mergeLists(l: unknown[], r: unknown[], spath: string[], schema: Schema, list: Parameters<typeof indexList>[0]): unknown[] {
  const li = indexList(list, l);
  const ri = indexList(list, r);
  const shared = ri.order.filter((it) => li.byId.has(it.id));
  let nextShared = 0;
  const emitted = new Set<string>();
  const out: unknown[] = [];
  const emit = (id: string, lv: ListItem | undefined, rv: ListItem | undefined) => {
    emitted.add(id);
    const pe = (rv ?? lv)!.pe;
    out.push(merge(lv?.value, rv?.value, childSchemaPath(spath, pe), schema));
    if (shared[nextShared]?.id === id) nextShared++;
  };
  let lI = 0;
  let rI = 0;
  while (lI < li.order.length || rI < ri.order.length) {
    const lItem = li.order[lI];
    const rItem = ri.order[rI];
    if (lItem && emitted.has(lItem.id)) {
      lI++;
      continue;
    }
    if (lItem && rItem && lItem.id === rItem.id) {
      emit(lItem.id, lItem, rItem);
      lI++;
      rI++;
      continue;
    }
    if (lItem && ri.byId.has(lItem.id) && shared[nextShared]?.id !== lItem.id) {
      lI++; // shared, but the configuration wants it later: emitted when rhs reaches it
      continue;
    }
    if (lItem && !ri.byId.has(lItem.id)) {
      emit(lItem.id, lItem, undefined);
      lI++;
      continue;
    }
    if (rItem) {
      emit(rItem.id, li.byId.get(rItem.id), rItem);
      rI++;
      continue;
    }
    lI++;
  }
  return out;
}
