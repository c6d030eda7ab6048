// LIST: from the watch cache whenever the requested consistency allows it,
// otherwise (an exact old revision, or a page of one) from a store snapshot.
import type { KubeObject } from '../../api/meta.js';
import { decodeContinue, encodeContinue } from '../../storage/continue-token.js';
import { isStorageError } from '../../storage/errors.js';
import { requestFilter } from '../filter.js';
import { decodeObject, resourcePrefix } from '../registry/storage-codec.js';
import { ApiError, badRequest, expired, toApiError } from '../status.js';
import type { RequestContext } from './context.js';

export interface ListResult {
  items: KubeObject[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}

const WAIT_FOR_REVISION_MS = 3_000;

export async function listObjects(ctx: RequestContext): Promise<ListResult> {
  const r = ctx.stored;
  const q = ctx.query;
  const { predicate } = requestFilter(r.resource, q);
  const prefix = resourcePrefix(r, ctx.info.namespace);
  const limit = Math.max(0, Number(q.get('limit') ?? 0) || 0);
  const token = q.get('continue') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const match = q.get('resourceVersionMatch') ?? '';
  if (rv && !/^\d+$/.test(rv)) throw badRequest(`invalid resourceVersion ${JSON.stringify(rv)}`);
  if (match && !rv) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (token && rv && rv !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  const cache = ctx.core.cacheFor(r);
  await cache.whenReady();

  let start = '';
  let fromStore = false;
  if (token) {
    let pinned: number;
    try {
      ({ revision: pinned, start } = decodeContinue(token));
    } catch (err) {
      throw toApiError(err);
    }
    if (!start.startsWith(prefix)) throw badRequest('continue key is not valid for this list');
    // Later pages come from the cache only while it still is at the first page's revision.
    fromStore = pinned !== cache.revision;
    if (fromStore) return storeList(ctx, prefix, predicate, limit, { continue: token });
  } else if (match === 'Exact' && rv !== '0') {
    return storeList(ctx, prefix, predicate, limit, { resourceVersion: rv });
  } else if (rv === '') {
    if (!(await cache.waitUntilFresh())) return storeList(ctx, prefix, predicate, limit, {});
  } else if (rv !== '0') {
    await waitForRevision(cache, Number(rv));
  }

  const { items, revision } = cache.list(prefix, predicate);
  let from = 0;
  if (start) {
    from = items.findIndex((i) => i.key >= start);
    if (from < 0) from = items.length;
  }
  const page = limit ? items.slice(from, from + limit) : items.slice(from);
  const result: ListResult = { items: page.map((i) => i.object), revision };
  if (limit && from + limit < items.length) {
    result.continue = encodeContinue(revision, page[page.length - 1]!.key);
    result.remainingItemCount = items.length - from - limit;
  }
  return result;
}

async function waitForRevision(cache: { revision: number; waitUntilFresh(): Promise<boolean> }, rev: number): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_REVISION_MS;
  while (cache.revision < rev) {
    if (Date.now() > deadline) {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${rev}, current: ${cache.revision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    await cache.waitUntilFresh();
    if (cache.revision < rev) await new Promise((r) => setTimeout(r, 20));
  }
}

async function storeList(
  ctx: RequestContext,
  prefix: string,
  predicate: (o: KubeObject) => boolean,
  limit: number,
  opts: { continue?: string; resourceVersion?: string },
): Promise<ListResult> {
  const items: KubeObject[] = [];
  let next: string | undefined = opts.continue;
  let revision = 0;
  try {
    // Fill the page even when the filter drops items, as upstream does.
    for (let first = true; first || next; first = false) {
      const page = await ctx.core.store.list(prefix, {
        limit: limit ? limit - items.length : 0,
        continue: next,
        resourceVersion: next ? undefined : opts.resourceVersion,
      });
      revision = page.revision;
      for (const kv of page.items) {
        const obj = decodeObject(kv);
        if (predicate(obj)) items.push(obj);
      }
      next = page.continue;
      if (limit && items.length >= limit) break;
    }
  } catch (err) {
    if (isStorageError(err, 'Expired')) {
      throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    throw toApiError(err);
  }
  return { items, revision, continue: next };
}
