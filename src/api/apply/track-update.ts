// Field ownership for writes that are not apply (create, update, patch): the
// fields a write adds or changes become the writer's, under an operation
// Update entry for the version it used; other managers lose them, and
// everyone loses the fields the write removes.
import { compareObjects, filterComparison, topLevelFields } from './compare.js';
import type { FieldSet } from './field-set.js';
import {
  ManagedFieldsError,
  STRIPPED_FIELDS,
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerKey,
  type ManagerId,
  type Managers,
} from './managed-fields.js';
import { metadataOf, withManagedFields, withoutManagedFields, type JsonObject } from './object-meta.js';
import { isObject, type ListKeys, type MapType, type Schema } from './schema.js';

export interface TrackUpdateArgs {
  /** The stored object, or null for a create. */
  old: object | null;
  /** The object about to be stored. */
  updated: object;
  /** ?fieldManager=, or the one derived from the user agent ("kubectl-edit", "kubectl-create", ...). */
  manager: string;
  /** The endpoint's group/version, e.g. "apps/v1". */
  apiVersion: string;
  listKeys: ListKeys;
  mapType?: MapType;
  now: string;
  /** "status" or "scale" for writes to a subresource (their managedFields input is ignored). */
  subresource?: string;
  /** Fields this endpoint resets and so never tracks. */
  ignored?: FieldSet;
}

/** Returns `updated` with metadata.managedFields maintained. */
export function trackUpdate(args: TrackUpdateArgs): JsonObject {
  const updated = args.updated as JsonObject;
  const old = args.old as JsonObject | null;
  const next = withoutManagedFields(updated);
  const managers = startingManagers(old, updated, args.subresource !== undefined);
  // Objects that were never tracked stay untracked until their first apply
  // (which attributes them to before-first-apply); creates are always tracked.
  if (old !== null && managers.size === 0) return withManagedFields(next, []);
  const id: ManagerId = { manager: args.manager, operation: 'Update', apiVersion: args.apiVersion, subresource: args.subresource };
  const schema: Schema = { listKeys: args.listKeys, mapType: args.mapType };
  const result = trackedChanges({ live: old ? withoutManagedFields(old) : {}, next, managers, id, now: args.now, schema, ignored: args.ignored });
  capUpdateManagers(result);
  return withManagedFields(next, encodeManagedFields(result));
}

// Clients may set managedFields themselves (`[]` resets them); one that sends
// none, or garbage, keeps the stored ones.
function startingManagers(old: JsonObject | null, updated: JsonObject, ignoreNew: boolean): Managers {
  const stored = () => decodeOrEmpty(old ? metadataOf(old)?.managedFields : undefined);
  if (ignoreNew) return stored();
  const sent = metadataOf(updated)?.managedFields;
  if (isReset(sent)) return new Map();
  const decoded = decodeOrEmpty(sent);
  return decoded.size > 0 ? decoded : stored();
}

function isReset(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  return list.length === 0 || (list.length === 1 && isObject(list[0]) && Object.keys(list[0]).length === 0);
}

function decodeOrEmpty(list: unknown): Managers {
  try {
    return decodeManagedFields(list);
  } catch (e) {
    if (e instanceof ManagedFieldsError) return new Map();
    throw e;
  }
}

export interface TrackedChangesArgs {
  live: JsonObject;
  next: JsonObject;
  managers: Managers;
  id: ManagerId;
  now: string;
  schema: Schema;
  ignored?: FieldSet | undefined;
}

/** The managers after `id` turned `live` into `next` (the input map is not modified). */
export function trackedChanges(a: TrackedChangesArgs): Managers {
  const cmp = filterComparison(compareObjects(a.live, a.next, a.schema, topLevelFields(a.ignored)), a.ignored);
  const touched = cmp.modified.union(cmp.added);
  const managers: Managers = new Map();
  // Every set is stripped as it is made (difference distributes over union),
  // so the writer's merged set needs no second pass.
  for (const [k, m] of a.managers) {
    const set = m.set.difference(touched).difference(cmp.removed).difference(STRIPPED_FIELDS);
    if (!set.isEmpty()) managers.set(k, { ...m, set });
  }
  const mine = touched.difference(STRIPPED_FIELDS);
  if (!mine.isEmpty()) {
    const key = managerKey(a.id);
    const previous = managers.get(key);
    managers.set(key, { ...a.id, set: previous ? previous.set.union(mine) : mine, time: a.now });
  }
  return managers;
}
