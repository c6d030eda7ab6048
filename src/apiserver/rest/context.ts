// What every REST handler gets: the shared server core and the request.
import type { IncomingHttpHeaders } from 'node:http';
import type { KubeObject } from '../../api/meta.js';
import type { Storage } from '../../storage/interface.js';
import type { Clock } from '../../util/clock.js';
import type { ResponseFormat } from '../codec.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import type { RequestInfo } from '../request-info.js';
import type { StatusCause } from '../status.js';
import type { WatchCache } from '../watch-cache.js';

import type { UserInfo } from '../auth/types.js';

export type { UserInfo };

/** Defaulting and validation, plugged in per kind. */
export interface ObjectValidator {
  applyDefaults(r: ResourceInfo, obj: KubeObject): void;
  /** Returns the causes of a 422, empty when valid. */
  validate(r: ResourceInfo, obj: KubeObject, old?: KubeObject): StatusCause[];
}

/** Converts stored objects to a row table for `kubectl get`. */
export interface TableConvertor {
  toTable(r: ResourceInfo, objects: KubeObject[], opts: { includeObject: string; resourceVersion: string; continue?: string; now: Date }): unknown;
}

/**
 * A hook run after validation, before the write (admission). It may mutate
 * the object, throw an ApiError to refuse it, or return a rollback that runs
 * if the write then fails (to release what it allocated).
 */
export type AdmissionHook = (op: 'CREATE' | 'UPDATE' | 'DELETE', r: ResourceInfo, obj: KubeObject, old: KubeObject | undefined, user: UserInfo) => Promise<void | (() => void)>;

export interface ApiCore {
  store: Storage;
  registry: Registry;
  clock: Clock;
  cacheFor(r: ResourceInfo): WatchCache;
  /** The object under `key` in r's watch cache, if that cache is already running and holds it (may be stale). */
  cachedObject(r: ResourceInfo, key: string): KubeObject | undefined;
  newUid(): string;
  validator: ObjectValidator;
  tables: TableConvertor;
  admission: AdmissionHook[];
  /** Hooks that run after a successful write (e.g. CRD registration, service IP release). */
  /** Handlers for other subresources, keyed `group/resource/subresource` (binding, token, log...). */
  subresourceHandlers: Map<string, (ctx: RequestContext, res: import('node:http').ServerResponse) => Promise<void>>;
  onHookError?(err: unknown): void;
  /** Registers a callback run when the server shuts down (open watches end). */
  onShutdown?(fn: () => void): void;
  afterWrite: ((op: 'CREATE' | 'UPDATE' | 'DELETE', r: ResourceInfo, obj: KubeObject, old?: KubeObject) => void | Promise<void>)[];
}

export interface RequestContext {
  core: ApiCore;
  info: RequestInfo;
  resource: ResourceInfo;
  /** Where the objects live: `resource` itself, or the resource it is converted from. */
  stored: ResourceInfo;
  /** The version addressed by the request. */
  version: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  user: UserInfo;
  format: ResponseFormat;
  body?: Buffer;
  /** Warnings for the `Warning:` response header. */
  warnings: string[];
}
