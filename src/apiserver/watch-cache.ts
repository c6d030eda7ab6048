// One in-memory cache per resource, fed by one store watch: LIST and WATCH
// are served from here, not from the store on every request (upstream's
// cacher). It keeps the current objects and a window of recent events.
import { isStorageError } from '../storage/errors.js';
import type { Storage, WatchEvent as StoreEvent, Watcher } from '../storage/interface.js';
import { cachedObject, decodeObject, type KubeObject } from './registry/storage-codec.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: CacheEventType;
  key: string;
  rev: number;
  object: KubeObject;
  /** The object before this event (MODIFIED and DELETED). */
  prev?: KubeObject;
}

export type Predicate = (obj: KubeObject) => boolean;

export interface CacheWatcher {
  /** Called in revision order; `type` already accounts for objects entering or leaving the filter. */
  onEvent(type: CacheEventType, obj: KubeObject, rev: number): void;
  /** The cache lost its place (store watch expired): the client must relist. */
  onExpired(): void;
}

interface Registered {
  prefix: string;
  filter: Predicate;
  w: CacheWatcher;
}

export class TooOldResourceVersionError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface WatchCacheOptions {
  /** Events kept for watches that resume from a revision. */
  historySize?: number;
  onError?: (err: unknown) => void;
}

export class WatchCache {
  private objects = new Map<string, KubeObject>();
  private history: CacheEvent[] = [];
  /** Every event after this revision is in `history`. */
  private historyFloor = 0;
  private rev = 0;
  private watcher: Watcher | null = null;
  private watchers = new Set<Registered>();
  private progressWaiters: { rev: number; resolve: () => void }[] = [];
  private ready: Promise<void>;
  private stopped = false;
  /** True while the cache mirrors the store (after the first list, until the watch breaks). */
  loaded = false;
  private readonly historySize: number;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly store: Storage,
    readonly prefix: string,
    options: WatchCacheOptions = {},
  ) {
    this.historySize = options.historySize ?? 10_000;
    this.onError = options.onError ?? (() => {});
    this.ready = this.start();
  }

  /** The newest revision this cache reflects. */
  get revision(): number {
    return this.rev;
  }

  private async start(): Promise<void> {
    const list = await this.store.list(this.prefix);
    this.objects.clear();
    for (const kv of list.items) this.objects.set(kv.key, decodeObject(kv));
    this.rev = list.revision;
    this.history = [];
    this.historyFloor = list.revision;
    this.watcher = await this.store.watch(this.prefix, { revision: list.revision, recursive: true });
    this.loaded = true;
    void this.consume(this.watcher);
  }

  private async consume(w: Watcher): Promise<void> {
    try {
      for await (const e of w) this.apply(e);
      if (this.stopped) return;
      throw new Error('store watch ended');
    } catch (err) {
      this.loaded = false;
      if (this.stopped) return;
      if (!isStorageError(err, 'Expired')) this.onError(err);
      // Lost our place: tell watchers to relist, then rebuild from a fresh list.
      for (const r of this.watchers) r.w.onExpired();
      this.watchers.clear();
      this.ready = this.restartWithBackoff();
    }
  }

  private async restartWithBackoff(): Promise<void> {
    for (let delay = 100; !this.stopped; delay = Math.min(delay * 2, 5_000)) {
      try {
        return await this.start();
      } catch (err) {
        this.onError(err);
        await new Promise((r) => setTimeout(r, delay).unref());
      }
    }
  }

  private apply(e: StoreEvent): void {
    if (e.type === 'PROGRESS') {
      this.advance(e.kv.modRevision);
      return;
    }
    const prev = this.objects.get(e.kv.key);
    const object = cachedObject(e.kv);
    const event: CacheEvent = { type: e.type, key: e.kv.key, rev: e.kv.modRevision, object, prev };
    if (e.type === 'DELETED') this.objects.delete(e.kv.key);
    else this.objects.set(e.kv.key, object);
    this.history.push(event);
    if (this.history.length > this.historySize) this.historyFloor = this.history.shift()!.rev;
    for (const r of this.watchers) deliver(r, event);
    this.advance(e.kv.modRevision);
  }

  private advance(rev: number): void {
    if (rev > this.rev) this.rev = rev;
    if (!this.progressWaiters.length) return;
    this.progressWaiters = this.progressWaiters.filter((p) => {
      if (p.rev > this.rev) return true;
      p.resolve();
      return false;
    });
  }

  /**
   * Waits until the cache reflects the store's current revision, so a list
   * without a resourceVersion is as consistent as a read from the store.
   * Returns false when the backend cannot tell (the caller reads the store).
   */
  async waitUntilFresh(): Promise<boolean> {
    await this.ready;
    const w = this.watcher;
    if (!w?.requestProgress) return false;
    const target = await this.store.currentRevision();
    if (this.rev >= target) return true;
    await new Promise<void>((resolve) => {
      this.progressWaiters.push({ rev: target, resolve });
      w.requestProgress!();
    });
    return true;
  }

  async whenReady(): Promise<void> {
    await this.ready;
  }

  /** Current objects under `prefix` that pass `filter`, sorted by key. */
  list(prefix: string, filter: Predicate): { items: { key: string; object: KubeObject }[]; revision: number } {
    const items: { key: string; object: KubeObject }[] = [];
    for (const [key, object] of this.objects) if (key.startsWith(prefix) && filter(object)) items.push({ key, object });
    items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { items, revision: this.rev };
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  get size(): number {
    return this.objects.size;
  }

  /**
   * Starts a watch. With `fromRevision` undefined, the watcher first gets an
   * ADDED event for every current object; otherwise it gets every event after
   * that revision (or TooOldResourceVersionError when it left the window).
   */
  watch(prefix: string, filter: Predicate, w: CacheWatcher, fromRevision?: number): () => void {
    const reg: Registered = { prefix, filter, w };
    if (fromRevision === undefined) {
      for (const { object } of this.list(prefix, filter).items) w.onEvent('ADDED', object, Number(object.metadata.resourceVersion));
    } else {
      if (fromRevision < this.historyFloor) throw new TooOldResourceVersionError(fromRevision, this.historyFloor);
      for (const e of this.history) if (e.rev > fromRevision) deliver(reg, e);
    }
    this.watchers.add(reg);
    return () => this.watchers.delete(reg);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  stop(): void {
    this.stopped = true;
    this.loaded = false;
    this.watcher?.stop();
    for (const p of this.progressWaiters) p.resolve();
    this.progressWaiters = [];
    this.watchers.clear();
  }
}

/** Upstream's rule: an object entering the filter is ADDED, one leaving it is DELETED. */
function deliver(r: Registered, e: CacheEvent): void {
  if (!e.key.startsWith(r.prefix)) return;
  const now = e.type !== 'DELETED' && r.filter(e.object);
  const before = e.prev !== undefined && r.filter(e.prev);
  if (e.type === 'DELETED') {
    if (before || (e.prev === undefined && r.filter(e.object))) r.w.onEvent('DELETED', e.object, e.rev);
  } else if (now && before) r.w.onEvent('MODIFIED', e.object, e.rev);
  else if (now) r.w.onEvent('ADDED', e.object, e.rev);
  else if (before) r.w.onEvent('DELETED', e.object, e.rev);
}
