// Server-side apply (PATCH application/apply-patch+yaml): merges an applied
// configuration into the live object, removes what the applier stopped
// applying, detects conflicts with other managers and maintains managedFields.
import { badRequest } from '../../apiserver/status.js';
import { compareObjects, filterComparison } from './compare.js';
import { makeConflict, type ApplyConflict } from './conflicts.js';
import { FieldSet } from './field-set.js';
import { KUBECTL_MANAGER, fieldsFromLastApplied, syncLastApplied } from './last-applied.js';
import {
  ManagedFieldsError,
  STRIPPED_FIELDS,
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerKey,
  stripManagers,
  type ManagerFields,
  type Managers,
} from './managed-fields.js';
import { mergeApplied } from './merge.js';
import { metadataOf, withManagedFields, withoutManagedFields, type JsonObject } from './object-meta.js';
import { fieldElement } from './path-element.js';
import { pruneRemoved } from './prune.js';
import { deepEqual, isObject, type ListKeys, type MapType, type Schema } from './schema.js';
import { fieldSetOf } from './to-field-set.js';
import { trackedChanges } from './track-update.js';

export interface ApplyArgs {
  /** The live object, or null when apply creates it. */
  current: object | null;
  /** The decoded apply patch. */
  applied: object;
  /** ?fieldManager= (required for apply). */
  manager: string;
  /** ?force=true */
  force: boolean;
  /** The endpoint's group/version, e.g. "apps/v1"; the patch must use the same. */
  apiVersion: string;
  listKeys: ListKeys;
  mapType?: MapType;
  /** RFC 3339 time for managedFields entries. */
  now: string;
  /** "status" or "scale" when applying to a subresource. */
  subresource?: string;
  /** Fields this endpoint resets and so never tracks (e.g. status on the main resource). */
  ignored?: FieldSet;
}

export type ApplyResult =
  /** `changed` is false when the object (managedFields aside) is exactly the live one. */
  | { object: JsonObject; changed: boolean }
  | { conflicts: ApplyConflict[] };

const BEFORE_FIRST_APPLY = 'before-first-apply';

/** Throws ApiError(400) for an unusable configuration; returns conflicts instead of throwing them. */
export function applyServerSide(args: ApplyArgs): ApplyResult {
  const applied = validateApplied(args);
  const schema: Schema = { listKeys: args.listKeys, mapType: args.mapType };
  const current = args.current as JsonObject | null;
  const live = current ? withoutManagedFields(current) : {};
  let managers = decodeOrEmpty(current ? metadataOf(current)?.managedFields : undefined);

  // Objects written before any tracking: attribute what exists to a
  // placeholder manager, so the first applier conflicts with it, not with no one.
  if (current && managers.size === 0) {
    managers = trackedChanges({ live: {}, next: live, managers, id: { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: args.apiVersion }, now: args.now, schema, ignored: args.ignored });
  }

  let outcome = applyOnce(live, applied, managers, args, schema, args.force);
  if ('conflicts' in outcome && args.manager === KUBECTL_MANAGER) {
    // Upgrade from client-side apply: fields kubectl itself applied before are not conflicts.
    const allowed = fieldsFromLastApplied(live, args.apiVersion, schema);
    if (allowed) {
      const remaining = outcome.conflicts.filter((c) => !allowed.has(c.path));
      outcome = remaining.length === 0 ? applyOnce(live, applied, managers, args, schema, true) : { conflicts: remaining };
    }
  }
  if ('conflicts' in outcome) return outcome;

  const object = withManagedFields(syncLastApplied(outcome.object, applied, args.manager), encodeManagedFields(outcome.managers));
  return { object, changed: outcome.changed };
}

function validateApplied(args: ApplyArgs): JsonObject {
  const applied = args.applied;
  if (!isObject(applied)) throw badRequest('apply patch must be an object');
  if (typeof applied.apiVersion === 'string' && applied.apiVersion !== args.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${args.apiVersion}`);
  }
  const meta = metadataOf(applied);
  if (meta && meta.managedFields !== undefined && meta.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  return withoutNullSystemMeta(applied);
}

// Manifests written by `kubectl create --dry-run -o yaml` carry
// `creationTimestamp: null`; an applied null would otherwise clear the live
// value. These fields are the server's, never tracked, so such nulls are noise.
function withoutNullSystemMeta(applied: JsonObject): JsonObject {
  const meta = metadataOf(applied);
  if (!meta) return applied;
  const nulls = Object.keys(meta).filter((k) => meta[k] === null && STRIPPED_FIELDS.has([fieldElement('metadata'), fieldElement(k)]));
  if (nulls.length === 0) return applied;
  const cleaned = { ...meta };
  for (const k of nulls) delete cleaned[k];
  return { ...applied, metadata: cleaned };
}

function decodeOrEmpty(list: unknown): Managers {
  try {
    return decodeManagedFields(list);
  } catch (e) {
    // Unreadable managedFields are dropped, as upstream resets them on updates.
    if (e instanceof ManagedFieldsError) return new Map();
    throw e;
  }
}

type Outcome = { object: JsonObject; managers: Managers; changed: boolean } | { conflicts: ApplyConflict[] };

function applyOnce(live: JsonObject, applied: JsonObject, before: Managers, args: ApplyArgs, schema: Schema, force: boolean): Outcome {
  const managers: Managers = new Map([...before].map(([k, m]) => [k, { ...m }]));
  const id = { manager: args.manager, operation: 'Apply' as const, apiVersion: args.apiVersion, subresource: args.subresource };
  const key = managerKey(id);
  const previous = managers.get(key);

  const merged = mergeApplied(live, applied, schema) as JsonObject;
  let set = fieldSetOf(applied, schema.listKeys, schema.mapType);
  if (args.ignored) set = set.recursiveDifference(args.ignored);
  const mine: ManagerFields = { ...id, set, time: previous?.time };
  managers.set(key, mine);

  let keep = new FieldSet();
  for (const m of managers.values()) keep = keep.union(m.set);
  const object = previous ? (pruneRemoved(merged, previous.set, keep, schema) as JsonObject) : merged;

  const cmp = filterComparison(compareObjects(live, object, schema), args.ignored);
  const changedFields = cmp.modified.union(cmp.added);
  const conflicts: ApplyConflict[] = [];
  const taken = new Map<string, FieldSet>();
  for (const [k, m] of managers) {
    if (k === key) continue;
    const overlap = m.set.intersection(changedFields);
    if (overlap.isEmpty()) continue;
    taken.set(k, overlap);
    for (const p of overlap.paths()) conflicts.push(makeConflict(m, p));
  }
  if (conflicts.length > 0 && !force) return { conflicts: sortConflicts(conflicts) };

  for (const [k, m] of managers) {
    if (k === key) continue;
    const lost = taken.get(k);
    m.set = (lost ? m.set.difference(lost) : m.set).difference(cmp.removed);
    if (m.set.isEmpty()) managers.delete(k);
  }
  const changed = !deepEqual(live, object);
  if (changed) mine.time = args.now;
  stripManagers(managers);
  capUpdateManagers(managers);
  return { object, managers, changed };
}

const sortConflicts = (cs: ApplyConflict[]) =>
  cs.sort((a, b) => {
    const ka = managerKey(a.owner);
    const kb = managerKey(b.owner);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
