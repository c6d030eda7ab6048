// Typed verbs over one resource: get/list/create/update/patch/delete/watch
// and subresources, with the request shapes the API server expects.
import { fieldSelectorToString, type FieldSelector } from '../api/fields.js';
import { selectorToString, type LabelSelector } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';
import type { Status } from './errors.js';
import { apiVersionOf, resourcePath, type ResourceDescriptor } from './resources.js';
import type { ApiClient, Query, RequestOptions } from './transport.js';
import type { ObjectList, Scale } from './types.js';
import { consumeWatch, type WatchEvent, type WatchHandle } from './watch.js';

export interface SelectorOptions {
  labelSelector?: string | LabelSelector;
  fieldSelector?: string | FieldSelector;
}

export interface ListOptions extends SelectorOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchOptions extends SelectorOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

const labelString = (s: string | LabelSelector | undefined) => (s === undefined || typeof s === 'string' ? s : selectorToString(s));
const fieldString = (s: string | FieldSelector | undefined) => (s === undefined || typeof s === 'string' ? s : fieldSelectorToString(s));

function selectorQuery(o: SelectorOptions): Query {
  return { labelSelector: labelString(o.labelSelector), fieldSelector: fieldString(o.fieldSelector) };
}

function deleteBody(o: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
  if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.preconditions) body.preconditions = o.preconditions;
  if (o.dryRun) body.dryRun = ['All'];
  return body;
}

const dryRunQuery = (o: { dryRun?: boolean }) => (o.dryRun ? 'All' : undefined);

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly api: ApiClient,
    readonly descriptor: ResourceDescriptor,
  ) {}

  private path(ns?: string, name?: string, sub?: string): string {
    return resourcePath(this.descriptor, ns, name, sub);
  }

  /** Fills in apiVersion/kind so callers can pass bare objects. */
  private typed(obj: T): T {
    return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(this.descriptor), kind: obj.kind ?? this.descriptor.kind };
  }

  get(ns: string | undefined, name: string, opts: { resourceVersion?: string } = {}): Promise<T> {
    return this.api.request<T>({ method: 'GET', path: this.path(ns, name), query: { resourceVersion: opts.resourceVersion } });
  }

  /** One page of the collection (all namespaces when `ns` is undefined). */
  async list(ns?: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const list = await this.api.request<ObjectList<T>>({
      method: 'GET',
      path: this.path(ns),
      query: { ...selectorQuery(opts), limit: opts.limit, continue: opts.continue, resourceVersion: opts.resourceVersion, resourceVersionMatch: opts.resourceVersionMatch },
    });
    const result: ListResult<T> = { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
    if (list.metadata?.continue) result.continue = list.metadata.continue;
    return result;
  }

  /** Every page, following continue tokens; the resourceVersion is the first page's (the snapshot). */
  async listAll(ns?: string, opts: Omit<ListOptions, 'continue'> = {}): Promise<ListResult<T>> {
    const first = await this.list(ns, opts);
    const items = [...first.items];
    for (let token = first.continue; token; ) {
      const page = await this.list(ns, { ...opts, resourceVersion: undefined, resourceVersionMatch: undefined, continue: token });
      items.push(...page.items);
      token = page.continue;
    }
    return { items, resourceVersion: first.resourceVersion };
  }

  create(ns: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.api.request<T>(this.createRequest(ns, obj, opts));
  }

  /** As create, for a busy writer that never reads the created object (a ReplicaSet's pods): the reply is not parsed. */
  async submit(ns: string | undefined, obj: T, opts: WriteOptions = {}): Promise<void> {
    await this.api.requestDiscardingReply(this.createRequest(ns, obj, opts));
  }

  private createRequest(ns: string | undefined, obj: T, opts: WriteOptions): RequestOptions {
    return {
      method: 'POST',
      path: this.path(ns ?? obj.metadata.namespace),
      query: { fieldManager: opts.fieldManager, dryRun: dryRunQuery(opts) },
      body: this.typed(obj),
    };
  }

  /** PUT of the whole object; `metadata.resourceVersion`, when set, makes it conditional. */
  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, 'status', opts);
  }

  /** As updateStatus, for a busy writer that never reads the result (the simulator): the reply is not parsed. */
  async writeStatus(obj: T, opts: WriteOptions = {}): Promise<void> {
    await this.api.requestDiscardingReply(this.putRequest(obj, 'status', opts));
  }

  private put(obj: T, sub: string | undefined, opts: WriteOptions): Promise<T> {
    return this.api.request<T>(this.putRequest(obj, sub, opts));
  }

  private putRequest(obj: T, sub: string | undefined, opts: WriteOptions): RequestOptions {
    const name = obj.metadata.name;
    if (!name) throw new TypeError(`update ${this.descriptor.resource}: metadata.name is required`);
    return {
      method: 'PUT',
      path: this.path(obj.metadata.namespace, name, sub),
      query: { fieldManager: opts.fieldManager, dryRun: dryRunQuery(opts) },
      body: this.typed(obj),
    };
  }

  /** PATCH; `apply` (server-side apply) needs a fieldManager, and takes `force`. */
  patch<R = T>(ns: string | undefined, name: string, patch: unknown, type: PatchType, opts: PatchOptions = {}): Promise<R> {
    if (type === 'apply' && !opts.fieldManager) throw new TypeError('server-side apply requires a fieldManager');
    return this.api.request<R>({
      method: 'PATCH',
      path: this.path(ns, name, opts.subresource),
      query: { fieldManager: opts.fieldManager, force: type === 'apply' && opts.force !== undefined ? opts.force : undefined, dryRun: dryRunQuery(opts) },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  /** DELETE; the reply is the object (when finalizers or grace keep it) or a Success Status. */
  delete(ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return this.api.request<T | Status>({ method: 'DELETE', path: this.path(ns, name), body: deleteBody(opts) });
  }

  deleteCollection(ns: string | undefined, opts: DeleteOptions & SelectorOptions = {}): Promise<ObjectList<T> | Status> {
    return this.api.request({ method: 'DELETE', path: this.path(ns), query: selectorQuery(opts), body: deleteBody(opts) });
  }

  /**
   * Starts a watch; resolves once the server accepted it. Events arrive in
   * order through `onEvent`; see WatchHandle for how it ends.
   */
  async watch(ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<WatchHandle> {
    const res = await this.api.stream({
      method: 'GET',
      path: this.path(ns),
      query: {
        watch: 'true',
        ...selectorQuery(opts),
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: opts.timeoutSeconds,
      },
    });
    return consumeWatch<T>(res, onEvent);
  }

  getSubresource<R>(ns: string | undefined, name: string, sub: string): Promise<R> {
    return this.api.request<R>({ method: 'GET', path: this.path(ns, name, sub) });
  }

  createSubresource<R>(ns: string | undefined, name: string, sub: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    return this.api.request<R>({ method: 'POST', path: this.path(ns, name, sub), query: { fieldManager: opts.fieldManager, dryRun: dryRunQuery(opts) }, body });
  }

  getScale(ns: string | undefined, name: string): Promise<Scale> {
    return this.getSubresource<Scale>(ns, name, 'scale');
  }

  /** PUT of the Scale; pass the one from getScale to make it conditional on its resourceVersion. */
  updateScale(ns: string | undefined, name: string, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    return this.api.request<Scale>({
      method: 'PUT',
      path: this.path(ns, name, 'scale'),
      query: { fieldManager: opts.fieldManager },
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale, metadata: { ...scale.metadata, name, namespace: ns } },
    });
  }
}
