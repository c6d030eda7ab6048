// HTTP verbs on resources: decode the request, call the object operations,
// encode the answer in the format the client asked for.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/meta.js';
import { decodeBody } from '../codec.js';
import { validateFields } from '../field-validation.js';
import { fieldManager, tracking } from '../managed-fields.js';
import { requestFilter } from '../filter.js';
import { jsonOf, resourcePrefix, watchLineOf } from '../registry/storage-codec.js';
import { gv } from '../registry/resource-info.js';
import { send, sendJoined, sendText } from '../respond.js';
import { badRequest, expired, methodNotAllowed, successStatus, type Status } from '../status.js';
import { TooOldResourceVersionError } from '../watch-cache.js';
import type { RequestContext } from './context.js';
import { asKubeObject, createObject, deleteObject, getObject, isObject, setNamespace, updateObject, type DeleteOptions } from './objects.js';
import { applyPatchRequest } from './patch.js';
import { listObjects } from './list.js';

/** Sets apiVersion/kind as the client addressed them. */
/** A request body in the addressed resource's form → the stored form. */
export function toStored(ctx: RequestContext, obj: KubeObject): KubeObject {
  const byVersion = ctx.resource.versionConversions?.[ctx.version];
  if (byVersion) return byVersion.toStored(obj);
  return ctx.resource.conversion ? ctx.resource.conversion.toStored(obj) : obj;
}

export function present(ctx: RequestContext, obj: KubeObject): KubeObject {
  const byVersion = ctx.resource.versionConversions?.[ctx.version];
  const view = byVersion ? byVersion.fromStored(obj) : ctx.resource.conversion ? ctx.resource.conversion.fromStored(obj) : obj;
  return { ...view, apiVersion: gv(ctx.resource, ctx.version), kind: ctx.resource.kind };
}

function isDryRun(ctx: RequestContext): boolean {
  const d = ctx.query.getAll('dryRun');
  if (d.some((v) => v !== 'All')) throw badRequest(`unsupported dryRun value: ${d.join(',')} (only "All" is supported)`);
  return d.length > 0;
}

/** One object, as the object, a one-row Table, or PartialObjectMetadata. */
export function sendObject(ctx: RequestContext, res: ServerResponse, code: number, obj: KubeObject): void {
  const f = ctx.format;
  if (f.as === 'Table') {
    const table = ctx.core.tables.toTable(ctx.resource, [present(ctx, obj)], {
      includeObject: ctx.query.get('includeObject') ?? 'Metadata',
      resourceVersion: obj.metadata.resourceVersion ?? '',
      now: new Date(ctx.core.clock.now()),
    });
    return send(res, code, table, f, ctx.warnings);
  }
  if (f.as === 'PartialObjectMetadata' || f.as === 'PartialObjectMetadataList') {
    return send(res, code, { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${f.version ?? 'v1'}`, metadata: obj.metadata }, f, ctx.warnings);
  }
  // The common case: the object already carries the addressed version, and its JSON is known.
  if (!f.yaml && obj.apiVersion === gv(ctx.resource, ctx.version) && obj.kind === ctx.resource.kind) return sendText(res, code, jsonOf(obj), 'application/json', ctx.warnings);
  send(res, code, present(ctx, obj), f, ctx.warnings);
}

export async function handleGet(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const obj = await getObject(ctx.core, ctx.stored, ctx.info.namespace, ctx.info.name);
  sendObject(ctx, res, 200, obj);
}

export async function handleList(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const r = ctx.resource;
  const result = await listObjects(ctx);
  const f = ctx.format;
  const metadata: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  if (f.as === 'Table') {
    const table = ctx.core.tables.toTable(r, result.items.map((o) => present(ctx, o)), {
      includeObject: ctx.query.get('includeObject') ?? 'Metadata',
      resourceVersion: String(result.revision),
      continue: result.continue,
      now: new Date(ctx.core.clock.now()),
    }) as Record<string, unknown>;
    return send(res, 200, table, f, ctx.warnings);
  }
  if (f.as === 'PartialObjectMetadataList' || f.as === 'PartialObjectMetadata') {
    const apiVersion = `meta.k8s.io/${f.version ?? 'v1'}`;
    return send(res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion,
      metadata,
      items: result.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata })),
    }, f, ctx.warnings);
  }
  const apiVersion = gv(r, ctx.version);
  if (!f.yaml && result.items.every((o) => o.apiVersion === apiVersion && o.kind === r.kind)) {
    // The common case: objects already carry the addressed version, and their JSON is cached.
    const head = `{"kind":${JSON.stringify(r.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[`;
    return sendJoined(res, 200, head, result.items.map(jsonOf), ']}', ctx.warnings);
  }
  send(res, 200, { kind: r.listKind, apiVersion, metadata, items: result.items.map((o) => present(ctx, o)) }, f, ctx.warnings);
}

export async function handleCreate(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const r = ctx.resource;
  if (ctx.info.name) throw methodNotAllowed();
  const obj = asKubeObject(decodeBody(ctx.headers['content-type'], ctx.body!), r, ctx.version);
  validateFields(ctx, obj, { rawBody: ctx.body });
  const stored = toStored(ctx, obj);
  setNamespace(stored, ctx.stored, ctx.info.namespace);
  const created = await createObject(ctx.core, ctx.stored, stored, { dryRun: isDryRun(ctx), user: ctx.user, ...tracking(ctx, fieldManager(ctx, 'unknown')) });
  sendObject(ctx, res, 201, created);
}

export async function handleUpdate(ctx: RequestContext, res: ServerResponse, status = false): Promise<void> {
  const r = ctx.resource;
  const decode = () => asKubeObject(decodeBody(ctx.headers['content-type'], ctx.body!), r, ctx.version);
  const obj = decode();
  validateFields(ctx, obj, { rawBody: ctx.body });
  // An attempt changes the object it is given: the first takes this one, a retry a fresh decode of the body.
  let first: KubeObject | undefined = toStored(ctx, obj);
  const { object, created } = await updateObject(ctx.core, ctx.stored, ctx.info.namespace, ctx.info.name, {
    mutate: () => {
      const next = first ?? toStored(ctx, decode());
      first = undefined;
      return next;
    },
    replacesWhole: true,
    status,
  }, { dryRun: isDryRun(ctx), user: ctx.user, ...tracking(ctx, fieldManager(ctx, 'unknown'), status) });
  sendObject(ctx, res, created ? 201 : 200, object);
}

export async function handlePatch(ctx: RequestContext, res: ServerResponse, status = false): Promise<void> {
  const { object, created } = await applyPatchRequest(ctx, status, isDryRun(ctx));
  sendObject(ctx, res, created ? 201 : 200, object);
}

function deleteOptions(ctx: RequestContext): DeleteOptions {
  const body = ctx.body?.length ? decodeBody(ctx.headers['content-type'], ctx.body) : {};
  if (!isObject(body)) throw badRequest('DeleteOptions must be an object');
  const q = ctx.query;
  const grace = body.gracePeriodSeconds ?? (q.has('gracePeriodSeconds') ? Number(q.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) throw badRequest('gracePeriodSeconds must be an integer');
  let policy = (body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined) as string | undefined;
  const orphan = body.orphanDependents ?? (q.has('orphanDependents') ? q.get('orphanDependents') === 'true' : undefined);
  if (policy === undefined && orphan !== undefined) policy = orphan ? 'Orphan' : 'Background';
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const pre = isObject(body.preconditions) ? (body.preconditions as DeleteOptions['preconditions']) : undefined;
  const dryRun = Array.isArray(body.dryRun) ? body.dryRun.length > 0 : isDryRun(ctx);
  return { gracePeriodSeconds: grace as number | undefined, propagationPolicy: policy as DeleteOptions['propagationPolicy'], preconditions: pre, dryRun, user: ctx.user };
}

export async function handleDelete(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const r = ctx.resource;
  const { object, deleted } = await deleteObject(ctx.core, ctx.stored, ctx.info.namespace, ctx.info.name, deleteOptions(ctx));
  if (!deleted || r.kind === 'Pod' || r.kind === 'Namespace') return sendObject(ctx, res, 200, object);
  const status: Status = successStatus({ name: object.metadata.name, group: r.group || undefined, kind: r.resource, uid: object.metadata.uid });
  send(res, 200, status, ctx.format, ctx.warnings);
}

export async function handleDeleteCollection(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const r = ctx.resource;
  const opts = deleteOptions(ctx);
  const { items, revision } = await listObjects(ctx);
  const out: KubeObject[] = [];
  for (const obj of items) {
    try {
      const { object } = await deleteObject(ctx.core, ctx.stored, obj.metadata.namespace ?? '', obj.metadata.name!, opts);
      out.push(present(ctx, object));
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  send(res, 200, { kind: r.listKind, apiVersion: gv(r, ctx.version), metadata: { resourceVersion: String(revision) }, items: out }, ctx.format, ctx.warnings);
}

const BOOKMARK_INTERVAL_MS = 10_000;

export async function handleWatch(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const r = ctx.resource;
  const q = ctx.query;
  if (ctx.info.name) q.set('fieldSelector', [q.get('fieldSelector'), `metadata.name=${ctx.info.name}`].filter(Boolean).join(','));
  const { predicate } = requestFilter(r.resource, q);
  const cache = ctx.core.cacheFor(ctx.stored);
  await cache.whenReady();
  const rvParam = q.get('resourceVersion') ?? '';
  if (rvParam && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resourceVersion ${JSON.stringify(rvParam)}`);
  const from = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
  const table = ctx.format.as === 'Table';
  const includeObject = q.get('includeObject') ?? 'Metadata';
  const encode = (type: string, obj: unknown) => `${JSON.stringify({ type, object: obj })}\n`;
  const apiVersion = gv(r, ctx.version);
  const line = (type: string, obj: KubeObject) => {
    if (table) {
      return encode(type, ctx.core.tables.toTable(r, [present(ctx, obj)], { includeObject, resourceVersion: obj.metadata.resourceVersion ?? '', now: new Date(ctx.core.clock.now()) }));
    }
    // Cached objects in the addressed version: their JSON is shared by every watcher.
    if (obj.apiVersion === apiVersion && obj.kind === r.kind) return watchLineOf(type, obj);
    return encode(type, present(ctx, obj));
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let done = false;
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  let unsubscribe = () => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (done) return;
    done = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  const sendExpired = (message: string) => {
    res.write(encode('ERROR', expired(message).toStatus()));
    finish();
  };
  try {
    unsubscribe = cache.watch(resourcePrefix(ctx.stored, ctx.info.namespace), predicate, {
      onEvent: (type, obj) => {
        if (done) return;
        // Events committed together arrive in one run of microtasks: corked until
        // it ends, they leave as one TLS record and one syscall instead of one each.
        if (!corked) {
          corked = true;
          res.cork();
          process.nextTick(uncork);
        }
        res.write(line(type, obj));
      },
      onExpired: () => sendExpired('The resourceVersion for the provided watch is too old.'),
    }, from);
  } catch (err) {
    if (err instanceof TooOldResourceVersionError) return sendExpired(`too old resource version: ${err.requested} (${err.oldest})`);
    throw err;
  }
  ctx.core.onShutdown?.(finish);
  res.on('close', finish);
  const timeout = Number(q.get('timeoutSeconds') ?? 0);
  // Without a timeout, end between 30 and 60 minutes as upstream does, so clients rebalance.
  const ms = timeout > 0 ? timeout * 1000 : (1800 + Math.random() * 1800) * 1000;
  timers.push(setTimeout(finish, ms));
  if (q.get('allowWatchBookmarks') === 'true') {
    // One interval for the watch's life (finish clears it), not a new timer per bookmark.
    const tick = () => {
      if (!done) res.write(encode('BOOKMARK', { kind: r.kind, apiVersion: gv(r, ctx.version), metadata: { resourceVersion: String(cache.revision) } }));
    };
    timers.push(setInterval(tick, BOOKMARK_INTERVAL_MS));
  }
}
