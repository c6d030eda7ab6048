// A shared informer, after client-go's: list, then watch from the list's
// resourceVersion, keeping an indexed store current and telling handlers about
// adds, updates and deletes. A 410 Gone relists (objects that vanished in
// between are reported as DeletedFinalStateUnknown tombstones); other watch
// failures rewatch with exponential backoff.
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock } from '../util/clock.js';
import { isGone } from './errors.js';
import type { ListerWatcher } from './list-watch.js';
import { objectKey, Store, type IndexFunc } from './store.js';
import type { WatchEvent, WatchHandle } from './watch.js';

/** What onDelete gets when the informer missed the delete (found out on relist). */
export interface DeletedFinalStateUnknown<T> {
  readonly kind: 'DeletedFinalStateUnknown';
  readonly key: string;
  /** The last state the informer saw. */
  readonly obj: T;
}

export function isTombstone<T>(v: T | DeletedFinalStateUnknown<T>): v is DeletedFinalStateUnknown<T> {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'DeletedFinalStateUnknown' && 'obj' in v;
}

/** The object behind a delete notification, tombstone or not. */
export function deletedObject<T>(v: T | DeletedFinalStateUnknown<T>): T {
  return isTombstone(v) ? v.obj : v;
}

/**
 * Handlers run synchronously on the informer's event path, so they must be
 * quick (typically: compute a key and add it to a work queue). Returned
 * promises are not awaited; throws and rejections go to `onError`.
 */
export interface EventHandler<T> {
  onAdd?(obj: T): unknown;
  onUpdate?(oldObj: T, newObj: T): unknown;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): unknown;
}

export interface InformerOptions<T> {
  clock?: Clock;
  /** Periodically re-deliver every object as onUpdate(obj, obj); 0 = never. */
  resyncPeriodMs?: number;
  indexers?: Record<string, IndexFunc<T>>;
  /** Watches ask the server to end after a random time in [min, 2·min] seconds, then rewatch. */
  minWatchTimeoutSeconds?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (err: unknown) => void;
  /** Source of randomness in [0, 1) for watch timeouts (tests pin it). */
  random?: () => number;
  /**
   * Applied to every object before it is stored or handed to handlers, as
   * client-go's SetTransform: e.g. stripManagedFields, so that a cache of
   * thousands of pods does not hold bookkeeping nobody reads.
   */
  transform?: (obj: T) => T;
}

/** Drops metadata.managedFields (client-go's TransformStripManagedFields). Updates sent without them keep the stored ones. */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}

export interface HandlerRegistration {
  remove(): void;
}

/** Extra time the client waits past the server-side watch timeout before giving up on a silent stream. */
const WATCH_SLACK_MS = 30_000;

export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly store: Store<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly clock: Clock;
  private readonly opts: Required<Omit<InformerOptions<T>, 'indexers' | 'clock' | 'transform'>>;
  private readonly transform: ((obj: T) => T) | undefined;
  private started = false;
  private stopped = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private currentWatch: WatchHandle | undefined;
  private wake: (() => void) | undefined;
  private resyncTimer: unknown;
  private rv = '';
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly lw: ListerWatcher<T>, opts: InformerOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.store = new Store<T>(opts.indexers ?? {});
    this.transform = opts.transform;
    this.opts = {
      resyncPeriodMs: opts.resyncPeriodMs ?? 0,
      minWatchTimeoutSeconds: opts.minWatchTimeoutSeconds ?? 300,
      initialBackoffMs: opts.initialBackoffMs ?? 800,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
      onError: opts.onError ?? (() => {}),
      random: opts.random ?? Math.random,
    };
  }

  /** The resourceVersion of the last list, watch event or bookmark. */
  get lastSyncResourceVersion(): string {
    return this.rv;
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  /** Registers handlers; once synced, a late handler first gets onAdd for every object already known. */
  addEventHandler(h: EventHandler<T>): HandlerRegistration {
    this.handlers.add(h);
    if (this.synced) for (const obj of this.store.list()) this.call(() => h.onAdd?.(obj));
    return { remove: () => this.handlers.delete(h) };
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first list has been stored and delivered (or at stop). */
  waitForSync(): Promise<void> {
    if (this.synced || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Starts list-and-watch in the background; idempotent. */
  run(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.loopDone = this.loop();
    this.scheduleResync();
  }

  /** Stops watching; resolves when the background loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.currentWatch?.stop();
    this.wake?.();
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    for (const w of this.syncWaiters.splice(0)) w();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    let backoff = this.opts.initialBackoffMs;
    const failed = async (err: unknown) => {
      this.opts.onError(err);
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
    };
    while (!this.stopped) {
      try {
        const list = await this.lw.list({});
        if (this.stopped) return;
        this.replace(list.items, list.resourceVersion);
        backoff = this.opts.initialBackoffMs;
      } catch (err) {
        await failed(err);
        continue;
      }
      // Watch until the history we resume from is gone, then relist.
      while (!this.stopped) {
        try {
          await this.watchOnce();
          backoff = this.opts.initialBackoffMs;
        } catch (err) {
          if (isGone(err)) break;
          await failed(err);
        }
      }
    }
  }

  private async watchOnce(): Promise<void> {
    const min = this.opts.minWatchTimeoutSeconds;
    const timeoutSeconds = Math.floor(min * (1 + this.opts.random()));
    const handle = await this.lw.watch({ resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds }, (e) => this.onWatchEvent(e));
    if (this.stopped) {
      handle.stop();
      return;
    }
    this.currentWatch = handle;
    // A stream that goes silent past the server's deadline is dead: end it and rewatch.
    const watchdog = this.clock.setTimeout(() => handle.stop(), timeoutSeconds * 1000 + WATCH_SLACK_MS);
    try {
      await handle.done;
    } finally {
      this.clock.clearTimeout(watchdog);
      this.currentWatch = undefined;
    }
  }

  private onWatchEvent(e: WatchEvent<T>): void {
    const rv = e.object.metadata?.resourceVersion;
    if (e.type === 'BOOKMARK') {
      if (rv) this.rv = rv;
      return;
    }
    if (this.transform) e = { ...e, object: this.transform(e.object) };
    if (e.type === 'DELETED') {
      this.store.deleteKey(objectKey(e.object));
      this.notify((h) => h.onDelete?.(e.object));
    } else {
      const old = this.store.upsert(e.object);
      if (old) this.notify((h) => h.onUpdate?.(old, e.object));
      else this.notify((h) => h.onAdd?.(e.object));
    }
    if (rv) this.rv = rv;
  }

  /** Makes the store equal a fresh list, telling handlers what changed. */
  private replace(items: T[], resourceVersion: string): void {
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.transform ? this.transform(item) : item;
      seen.add(objectKey(obj));
      const old = this.store.upsert(obj);
      if (old) this.notify((h) => h.onUpdate?.(old, obj));
      else this.notify((h) => h.onAdd?.(obj));
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const last = this.store.deleteKey(key)!;
      const tombstone: DeletedFinalStateUnknown<T> = { kind: 'DeletedFinalStateUnknown', key, obj: last };
      this.notify((h) => h.onDelete?.(tombstone));
    }
    this.rv = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private scheduleResync(): void {
    const period = this.opts.resyncPeriodMs;
    if (period <= 0 || this.stopped) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      if (this.synced) for (const obj of this.store.list()) this.notify((h) => h.onUpdate?.(obj, obj));
      this.scheduleResync();
    }, period);
  }

  private notify(fn: (h: EventHandler<T>) => unknown): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => unknown): void {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch((err: unknown) => this.opts.onError(err));
    } catch (err) {
      this.opts.onError(err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.clock.clearTimeout(t);
        resolve();
      };
    });
  }
}
