// Removing what an applier stopped applying: fields in its previous applied
// set that neither its new configuration nor any other manager owns. Upstream
// does this with prune + addBackOwnedItems + addBackDanglingItems; the net
// effect is computed here in one walk.
import { FieldSet } from './field-set.js';
import { fieldElement, type PathElement } from './path-element.js';
import { childSchemaPath, indexList, isObject, listTypeOf, mapTypeOf, type Schema } from './schema.js';

/**
 * `last`: the applier's previous set; `keep`: the union of every manager's
 * set, the applier's new one included. Returns the pruned object.
 */
export function pruneRemoved(obj: unknown, last: FieldSet, keep: FieldSet, schema: Schema): unknown {
  if (last.isEmpty()) return obj;
  const out = prune(obj, last, keep, [], schema);
  return out === undefined ? obj : out;
}

// A node owned before and owned by no one now goes, with everything below it.
// List items and map entries go even when someone owns a field inside them
// (their existence was the applier's); a struct field stays while anyone
// still owns something inside it.
function shouldRemove(pe: PathElement, last: FieldSet, keep: FieldSet, entryLike: boolean): boolean {
  if (!last.hasMember(pe) || keep.hasMember(pe)) return false;
  return entryLike || !keep.touches(pe);
}

/** Returns undefined when pruning emptied a container that was not empty before. */
function prune(v: unknown, last: FieldSet, keep: FieldSet, spath: string[], schema: Schema): unknown {
  if (isObject(v)) {
    const kind = mapTypeOf(schema, spath);
    if (kind === 'atomic') return v;
    const out: Record<string, unknown> = {};
    let changed = false;
    for (const [k, child] of Object.entries(v)) {
      const pe = fieldElement(k);
      if (shouldRemove(pe, last, keep, kind === 'map')) {
        changed = true;
        continue;
      }
      if (!last.touches(pe)) {
        out[k] = child;
        continue;
      }
      const p = prune(child, last.child(pe), keep.child(pe), childSchemaPath(spath, pe), schema);
      if (p === undefined) changed = true;
      else out[k] = p;
      if (p !== child) changed = true;
    }
    if (!changed) return v;
    return Object.keys(out).length === 0 && Object.keys(v).length > 0 ? undefined : out;
  }
  if (Array.isArray(v)) {
    const list = listTypeOf(schema, spath);
    if (list.type === 'atomic') return v;
    const out: unknown[] = [];
    let changed = false;
    // Keep duplicates out of it: indexList keeps the first item of each identity.
    for (const item of indexList(list, v).order) {
      if (shouldRemove(item.pe, last, keep, true)) {
        changed = true;
        continue;
      }
      if (!last.touches(item.pe)) {
        out.push(item.value);
        continue;
      }
      const p = prune(item.value, last.child(item.pe), keep.child(item.pe), childSchemaPath(spath, item.pe), schema);
      if (p !== item.value) changed = true;
      if (p !== undefined) out.push(p);
    }
    if (!changed) return v;
    return out.length === 0 && v.length > 0 ? undefined : out;
  }
  return v;
}
