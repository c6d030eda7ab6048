// The generic object operations behind every REST verb, independent of HTTP:
// create, read, update (with retry), delete (with finalizers and grace).
import { deepEqualJSON, generateName, type KubeObject } from '../../api/meta.js';
import { isStorageError } from '../../storage/errors.js';
import { copyObject, decodeObject, encodeObject, objectKey, writtenObject } from '../registry/storage-codec.js';
import { specOf, strategyFor } from '../registry/strategy.js';
import { gv, type ResourceInfo } from '../registry/resource-info.js';
import { alreadyExists, badRequest, conflict, invalid, notFound, staleConflict, toApiError } from '../status.js';
import type { ApiCore, UserInfo } from './context.js';
import { rfc3339 } from '../../api/time.js';
import { isObject } from '../../api/json.js';

export { isObject, rfc3339 };

/** Checks the body is an object of this resource's kind and gives it metadata. */
export function asKubeObject(body: unknown, r: ResourceInfo, version: string): KubeObject {
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON or YAML object');
  const expected = gv(r, version);
  // Missing type information defaults to what the URL addresses, as upstream's decoder does.
  if (body.kind === undefined || body.kind === '') body.kind = r.kind;
  if (body.apiVersion === undefined || body.apiVersion === '') body.apiVersion = expected;
  if (body.kind !== r.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`);
  }
  if (body.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isObject(body.metadata)) throw badRequest('metadata must be an object');
  return body as KubeObject;
}

/** Puts the URL's namespace on the object, rejecting a different one in the body. */
export function setNamespace(obj: KubeObject, r: ResourceInfo, namespace: string): void {
  if (!r.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const inBody = obj.metadata.namespace;
  if (inBody && namespace && inBody !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = namespace || inBody || '';
  if (!obj.metadata.namespace) throw badRequest('the namespace of the object is required for a namespaced resource');
}

function throwIfInvalid(core: ApiCore, r: ResourceInfo, obj: KubeObject, old?: KubeObject): void {
  const causes = core.validator.validate(r, obj, old);
  if (causes.length) throw invalid(r.kind, r.group, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
}

/** Post-write hooks; their failures are reported, not turned into a failed write. */
async function runAfterWrite(core: ApiCore, op: 'CREATE' | 'UPDATE' | 'DELETE', r: ResourceInfo, obj: KubeObject, old?: KubeObject): Promise<void> {
  for (const hook of core.afterWrite) {
    try {
      await hook(op, r, obj, old);
    } catch (err) {
      core.onHookError?.(err);
    }
  }
}

/** Runs admission; returns the rollbacks to run if the write that follows fails. */
async function admit(core: ApiCore, op: 'CREATE' | 'UPDATE' | 'DELETE', r: ResourceInfo, obj: KubeObject, old: KubeObject | undefined, user: UserInfo): Promise<() => void> {
  const rollbacks: (() => void)[] = [];
  const undo = () => {
    for (const fn of rollbacks.reverse()) fn();
  };
  try {
    for (const hook of core.admission) {
      const rollback = await hook(op, r, obj, old, user);
      if (rollback) rollbacks.push(rollback);
    }
  } catch (err) {
    undo();
    throw err;
  }
  return undo;
}

export interface WriteOptions {
  dryRun?: boolean;
  user: UserInfo;
  /** Runs after defaulting, before validation (managedFields bookkeeping). */
  beforeValidate?: (obj: KubeObject, old?: KubeObject) => void;
}

/** Thrown inside one update attempt to start another from the store. */
const RETRY = Symbol('retry the update');

/**
 * Stores `obj` through `write` (a create or update of its encoded form) and
 * returns it with its new resourceVersion: the caller's own copy stands in for
 * decoding the stored bytes again (it is what was encoded).
 */
async function writeEncoded(obj: KubeObject, write: (value: Buffer) => Promise<{ modRevision: number }>): Promise<KubeObject> {
  const value = encodeObject(obj);
  return writtenObject(obj, value, (await write(value)).modRevision);
}

export async function getObject(core: ApiCore, r: ResourceInfo, namespace: string, name: string): Promise<KubeObject> {
  try {
    return decodeObject(await core.store.get(objectKey(r, namespace, name)));
  } catch (err) {
    throw toApiError(err, r, name);
  }
}

export async function createObject(core: ApiCore, r: ResourceInfo, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  if (!meta.name) {
    throw invalid(r.kind, r.group, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  }
  const now = rfc3339(core.clock.now());
  meta.uid = core.newUid();
  meta.creationTimestamp = now;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  const strategy = strategyFor(r);
  if (strategy.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
  strategy.prepareForCreate(obj);
  core.validator.applyDefaults(r, obj);
  opts.beforeValidate?.(obj);
  throwIfInvalid(core, r, obj);
  const undo = await admit(core, 'CREATE', r, obj, undefined, opts.user);
  if (opts.dryRun) {
    undo();
    return obj;
  }
  try {
    const key = objectKey(r, meta.namespace ?? '', meta.name!);
    const created = await writeEncoded(obj, (v) => core.store.create(key, v));
    await runAfterWrite(core, 'CREATE', r, created);
    return created;
  } catch (err) {
    undo();
    if (isStorageError(err, 'AlreadyExists')) throw alreadyExists(r, meta.name);
    throw toApiError(err, r, meta.name);
  }
}

export interface UpdateRequest {
  /** Produces the desired object from the current one (null when it does not exist). */
  mutate(current: KubeObject | null): KubeObject | Promise<KubeObject>;
  /** Update through the status subresource. */
  status?: boolean;
  /** Create when missing (server-side apply, PUT on some resources). */
  createIfMissing?: boolean;
  /**
   * A write the server makes itself (pods/binding sets spec.nodeName and a
   * status condition together): no spec/status split and no update validation.
   */
  internal?: boolean;
  /** mutate ignores the current object (a PUT sends the whole object), so it gets no copy of it. */
  replacesWhole?: boolean;
}

export interface UpdateResult {
  object: KubeObject;
  created: boolean;
}

/**
 * Read-modify-write with optimistic concurrency. A resourceVersion the caller
 * put in the new object must match the current one (409 otherwise); without
 * one, conflicts with other writers are retried.
 */
export async function updateObject(core: ApiCore, r: ResourceInfo, namespace: string, name: string, req: UpdateRequest, opts: WriteOptions): Promise<UpdateResult> {
  const key = objectKey(r, namespace, name);
  const strategy = strategyFor(r);
  // As upstream's GuaranteedUpdate: the first attempt starts from the watch
  // cache's copy (no store read, no decode); the compare-and-swap catches a
  // stale one. Any failure or no-op on a cached copy is retried from the store,
  // so no answer ever rests on stale state.
  let useCache = true;
  for (let attempt = 0; ; attempt++) {
    const cached = useCache ? core.cachedObject(r, key) : undefined;
    useCache = false;
    try {
      return await updateOnce(cached);
    } catch (err) {
      if ((err === RETRY || cached) && attempt < 100) continue;
      throw err === RETRY ? conflict(r, name, 'too many concurrent writers; please try again') : err;
    }
  }

  async function updateOnce(cached: KubeObject | undefined): Promise<UpdateResult> {
    let current: KubeObject | null = cached ?? null;
    if (!cached) {
      try {
        current = decodeObject(await core.store.get(key));
      } catch (err) {
        if (!isStorageError(err, 'NotFound')) throw toApiError(err, r, name);
      }
    }
    if (!current && !req.createIfMissing) throw notFound(r, name);
    const next = await req.mutate(current && !req.replacesWhole ? copyObject(current) : null);
    if (!current) {
      setNamespace(next, r, namespace);
      if (next.metadata.name && next.metadata.name !== name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
      next.metadata.name = name;
      return { object: await createObject(core, r, next, opts), created: true };
    }
    const requestedRv = next.metadata.resourceVersion;
    if (requestedRv && requestedRv !== current.metadata.resourceVersion) throw staleConflict(r, name);
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (r.namespaced && next.metadata.namespace && next.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    // Fields the client may not change.
    const m = next.metadata;
    m.name = name;
    if (r.namespaced) m.namespace = namespace;
    else delete m.namespace;
    m.uid = current.metadata.uid;
    m.creationTimestamp = current.metadata.creationTimestamp;
    for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
      if (current.metadata[k] === undefined) delete m[k];
      else (m as Record<string, unknown>)[k] = current.metadata[k];
    }
    delete m.selfLink;
    if (req.status) strategy.prepareForStatusUpdate(next, current);
    else if (!req.internal) strategy.prepareForUpdate(next, current);
    core.validator.applyDefaults(r, next);
    if (strategy.tracksGeneration) {
      const gen = current.metadata.generation ?? 1;
      // A status write carries the stored spec over: it never moves generation.
      m.generation = !req.status && specOf(next) !== specOf(current) ? gen + 1 : gen;
    } else {
      delete m.generation;
    }
    opts.beforeValidate?.(next, current);
    if (!req.internal) throwIfInvalid(core, r, next, current);
    const undo = await admit(core, 'UPDATE', r, next, current, opts.user);
    m.resourceVersion = current.metadata.resourceVersion;
    // An update that changes nothing writes nothing, as upstream.
    if (deepEqualJSON(next, current) || opts.dryRun) {
      undo();
      if (cached) throw RETRY;
      return { object: deepEqualJSON(next, current) ? current : next, created: false };
    }
    // The last finalizer removed from an object being deleted: it goes away now
    // (unless a grace period, e.g. a pod's, still runs).
    if (current.metadata.deletionTimestamp && !(m.finalizers?.length) && !namespaceFinalizers(r, next).length && !current.metadata.deletionGracePeriodSeconds) {
      try {
        const gone = decodeObject(await core.store.delete(key, { resourceVersion: Number(current.metadata.resourceVersion) }));
        await runAfterWrite(core, 'DELETE', r, gone, current);
        return { object: next, created: false };
      } catch (err) {
        undo();
        if (isStorageError(err, 'Conflict') && !requestedRv) throw RETRY;
        throw toApiError(err, r, name);
      }
    }
    try {
      const updated = await writeEncoded(next, (v) => core.store.update(key, v, Number(current.metadata.resourceVersion)));
      await runAfterWrite(core, 'UPDATE', r, updated, current);
      return { object: updated, created: false };
    } catch (err) {
      undo();
      if (isStorageError(err, 'Conflict') || isStorageError(err, 'NotFound')) {
        if (requestedRv) throw staleConflict(r, name);
        throw RETRY;
      }
      throw toApiError(err, r, name);
    }
  }
}

/** A namespace also waits for its spec.finalizers (removed through namespaces/finalize). */
function namespaceFinalizers(r: ResourceInfo, obj: KubeObject): unknown[] {
  if (r.group !== '' || r.resource !== 'namespaces') return [];
  const f = (obj.spec as { finalizers?: unknown } | undefined)?.finalizers;
  return Array.isArray(f) ? f : [];
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  user: UserInfo;
}

export interface DeleteResult {
  object: KubeObject;
  /** False when the object is still there (finalizers or a grace period pending). */
  deleted: boolean;
}

function podGracePeriod(obj: KubeObject, requested: number | undefined): number {
  const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  // A pod no kubelet runs, or one that has finished, has nothing to stop gracefully.
  if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, grace);
}

/**
 * Deletes as upstream: objects with finalizers (including those the
 * propagation policy adds) and pods with a grace period get a
 * deletionTimestamp and stay; everything else is removed at once.
 */
export async function deleteObject(core: ApiCore, r: ResourceInfo, namespace: string, name: string, opts: DeleteOptions): Promise<DeleteResult> {
  const key = objectKey(r, namespace, name);
  for (let attempt = 0; attempt < 100; attempt++) {
    let current: KubeObject;
    try {
      current = decodeObject(await core.store.get(key));
    } catch (err) {
      throw toApiError(err, r, name);
    }
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw conflict(r, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    await admit(core, 'DELETE', r, current, current, opts.user);
    const next = copyObject(current);
    const m = next.metadata;
    const finalizers = new Set(m.finalizers ?? []);
    if (opts.propagationPolicy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    } else if (opts.propagationPolicy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    } else if (opts.propagationPolicy === 'Background') {
      finalizers.delete('orphan');
      finalizers.delete('foregroundDeletion');
    }
    const grace = r.kind === 'Pod' && r.group === '' ? podGracePeriod(current, opts.gracePeriodSeconds) : 0;
    const nowMs = core.clock.now();
    if (finalizers.size > 0 || grace > 0 || r.kind === 'Namespace') {
      // Stays, marked for deletion; a shorter grace period may replace a longer one.
      const deadline = nowMs + grace * 1000;
      const existing = m.deletionTimestamp ? Date.parse(m.deletionTimestamp) : undefined;
      if (existing === undefined || deadline < existing) {
        m.deletionTimestamp = rfc3339(deadline);
        m.deletionGracePeriodSeconds = grace;
      }
      if (finalizers.size) m.finalizers = [...finalizers];
      else delete m.finalizers;
      if (r.kind === 'Namespace') (next as { status?: unknown }).status = { ...(next.status as object), phase: 'Terminating' };
      const nothingLeft = grace === 0 && finalizers.size === 0 && r.kind !== 'Namespace';
      if (!nothingLeft) {
        if (deepEqualJSON(next, current)) return { object: current, deleted: false };
        if (opts.dryRun) return { object: next, deleted: false };
        try {
          const updated = await writeEncoded(next, (v) => core.store.update(key, v, Number(current.metadata.resourceVersion)));
          await runAfterWrite(core, 'UPDATE', r, updated, current);
          return { object: updated, deleted: false };
        } catch (err) {
          if (isStorageError(err, 'Conflict')) continue;
          throw toApiError(err, r, name);
        }
      }
    }
    if (opts.dryRun) return { object: current, deleted: true };
    try {
      const gone = decodeObject(await core.store.delete(key, { resourceVersion: Number(current.metadata.resourceVersion) }));
      await runAfterWrite(core, 'DELETE', r, gone, current);
      return { object: gone, deleted: true };
    } catch (err) {
      if (isStorageError(err, 'Conflict')) continue;
      throw toApiError(err, r, name);
    }
  }
  throw toApiError(new Error('too many conflicts while deleting'), r, name);
}
