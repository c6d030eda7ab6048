// metadata.managedFields: decoding entries into field sets keyed by manager
// identity, and encoding them back in upstream's order.
import { FieldSet } from './field-set.js';
import { FieldPathError, fieldElement } from './path-element.js';
import { isObject } from './schema.js';

export type Operation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ManagerId {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string | undefined;
}

export interface ManagerFields extends ManagerId {
  set: FieldSet;
  time?: string | undefined;
}

/** Managers by identity: one entry per (manager, operation, subresource), plus apiVersion for updates. */
export type Managers = Map<string, ManagerFields>;

/** Appliers keep one entry whatever version they apply with; updaters get one per version. */
export function managerKey(id: ManagerId): string {
  return JSON.stringify([id.manager, id.operation, id.operation === 'Update' ? id.apiVersion : '', id.subresource ?? '']);
}

export class ManagedFieldsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManagedFieldsError';
  }
}

/** Decodes metadata.managedFields; throws ManagedFieldsError when malformed. */
export function decodeManagedFields(list: unknown): Managers {
  const out: Managers = new Map();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new ManagedFieldsError('managedFields must be a list');
  for (const [i, raw] of list.entries()) {
    if (!isObject(raw)) throw new ManagedFieldsError(`managedFields[${i}] must be an object`);
    const { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource } = raw;
    if (typeof manager !== 'string' || (operation !== 'Apply' && operation !== 'Update')) {
      throw new ManagedFieldsError(`managedFields[${i}]: invalid manager or operation`);
    }
    if (fieldsType !== undefined && fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`managedFields[${i}]: unsupported fieldsType ${String(fieldsType)}`);
    let set: FieldSet;
    try {
      set = fieldsV1 === undefined ? new FieldSet() : FieldSet.fromFieldsV1(fieldsV1);
    } catch (e) {
      if (e instanceof FieldPathError) throw new ManagedFieldsError(`managedFields[${i}]: ${e.message}`);
      throw e;
    }
    const entry: ManagerFields = {
      manager,
      operation,
      apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
      subresource: typeof subresource === 'string' && subresource !== '' ? subresource : undefined,
      set,
      time: typeof time === 'string' ? time : undefined,
    };
    const key = managerKey(entry);
    const prev = out.get(key);
    if (prev) prev.set = prev.set.union(set);
    else out.set(key, entry);
  }
  return out;
}

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Encodes managers as metadata.managedFields: Apply before Update, then oldest first, then by name. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  return [...managers.values()]
    .filter((m) => !m.set.isEmpty())
    .sort(
      (p, q) =>
        cmp(p.operation, q.operation) ||
        seconds(p.time) - seconds(q.time) ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource ?? '', q.subresource ?? ''),
    )
    // Keys in upstream's order (time before fieldsType) for identical output.
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: m.set.toFieldsV1(),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
}

/** Paths never tracked: identity and server-owned metadata. */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [fieldElement('metadata'), fieldElement(f)]),
);

export function stripManagers(managers: Managers): void {
  for (const [key, m] of managers) {
    m.set = m.set.difference(STRIPPED_FIELDS);
    if (m.set.isEmpty()) managers.delete(key);
  }
}

export const DEFAULT_MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Caps the Update entries: the oldest merge into one "ancient-changes" entry
 * per apiVersion, as upstream does to keep managedFields bounded.
 */
export function capUpdateManagers(managers: Managers, max = DEFAULT_MAX_UPDATE_MANAGERS): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= max) return;
  updaters.sort(([ka, a], [kb, b]) => seconds(a.time) - seconds(b.time) || cmp(ka, kb));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [key, m] of updaters) {
    if (length <= max) break;
    const bucketId: ManagerId = { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion };
    const bucketKey = managerKey(bucketId);
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, key);
      continue;
    }
    let bucket = managers.get(bucketKey);
    if (!bucket) {
      const firstEntry = managers.get(first)!;
      managers.delete(first);
      bucket = { ...bucketId, set: firstEntry.set, time: firstEntry.time };
      managers.set(bucketKey, bucket);
    }
    if (bucketKey !== key) {
      bucket.set = bucket.set.union(m.set);
      bucket.time = m.time;
      managers.delete(key);
      length--;
    }
  }
}
