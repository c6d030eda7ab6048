// Assembles the shared core every handler works with: store, registry,
// per-resource watch caches and the pluggable validation, tables and admission.
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage/interface.js';
import { realClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { resourcePrefix } from './registry/storage-codec.js';
import type { KubeObject } from '../api/meta.js';
import type { Registry } from './registry/registry.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { AdmissionHook, ApiCore, ObjectValidator, TableConvertor } from './rest/context.js';
import { WatchCache } from './watch-cache.js';

export interface CoreOptions {
  store: Storage;
  registry: Registry;
  validator: ObjectValidator;
  tables: TableConvertor;
  logger: Logger;
  clock?: Clock;
}

export class Core implements ApiCore {
  readonly store: Storage;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly validator: ObjectValidator;
  readonly tables: TableConvertor;
  readonly admission: AdmissionHook[] = [];
  readonly afterWrite: ApiCore['afterWrite'] = [];
  onHookError?: (err: unknown) => void;
  readonly subresourceHandlers: ApiCore['subresourceHandlers'] = new Map();
  private caches = new Map<string, WatchCache>();
  private shutdownHooks = new Set<() => void>();
  private readonly logger: Logger;

  constructor(opts: CoreOptions) {
    this.store = opts.store;
    this.registry = opts.registry;
    this.clock = opts.clock ?? realClock;
    this.validator = opts.validator;
    this.tables = opts.tables;
    this.logger = opts.logger;
  }

  newUid(): string {
    return randomUUID();
  }

  /** One cache per stored resource, created on first use. */
  cacheFor(r: ResourceInfo): WatchCache {
    const prefix = resourcePrefix(r);
    let cache = this.caches.get(prefix);
    if (!cache) {
      cache = new WatchCache(this.store, prefix, {
        onError: (err) => this.logger.warn('watch cache error', { prefix, err }),
      });
      this.caches.set(prefix, cache);
    }
    return cache;
  }

  cachedObject(r: ResourceInfo, key: string): KubeObject | undefined {
    const cache = this.caches.get(resourcePrefix(r));
    return cache?.loaded ? cache.get(key) : undefined;
  }

  dropCache(r: ResourceInfo): void {
    const prefix = resourcePrefix(r);
    this.caches.get(prefix)?.stop();
    this.caches.delete(prefix);
  }

  get watchCount(): number {
    let n = 0;
    for (const c of this.caches.values()) n += c.watcherCount;
    return n;
  }

  onShutdown(fn: () => void): void {
    this.shutdownHooks.add(fn);
  }

  /** Ends open watches and stops every cache. */
  shutdown(): void {
    for (const fn of this.shutdownHooks) fn();
    this.shutdownHooks.clear();
    for (const c of this.caches.values()) c.stop();
    this.caches.clear();
  }
}
