// A controller work queue with client-go's guarantees: a key waiting is queued
// once however often it is added; a key being processed is never handed to a
// second worker (re-adds are held until `done`); delayed and rate-limited adds.
import { realClock, type Clock } from '../util/clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface RateLimitingQueueOptions<K> {
  clock?: Clock;
  rateLimiter?: RateLimiter<K>;
}

/**
 * lastStarted is swept of old entries (keys long gone or quiet) once it grows
 * past this, and then again only once it has doubled since: a burst of
 * thousands of fresh keys must not walk the whole map on every take.
 */
const LAST_STARTED_SWEEP_SIZE = 4096;
const LAST_STARTED_TTL_MS = 60_000;

export class RateLimitingQueue<K = string> {
  /** FIFO: keys from `head` on are waiting (Array.shift is linear on big arrays). */
  private queue: K[] = [];
  private head = 0;
  private nextSweepAt = LAST_STARTED_SWEEP_SIZE;
  /** Keys that need processing: queued, or re-added while processing. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((k: K | undefined) => void)[] = [];
  /** Delayed adds: the earliest time each key is due, with its timer. */
  private readonly delayed = new Map<K, { at: number; timer: unknown }>();
  /** When each key last started processing, for addThrottled. */
  private readonly lastStarted = new Map<K, number>();
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<K>;

  constructor(opts: RateLimitingQueueOptions<K> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /** Adds `key` once `ms` have passed; an earlier pending due time wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.clock.clearTimeout(pending.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /**
   * Adds at once, unless `key` started processing less than `periodMs` ago:
   * then when that period ends. A burst of events for one key (a ReplicaSet
   * whose thousands of pods change) then costs one reconcile per period, as
   * upstream's batch periods for pod events do, while a lone event is not
   * delayed at all.
   */
  addThrottled(key: K, periodMs: number): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    const last = this.lastStarted.get(key);
    const wait = last === undefined ? 0 : last + periodMs - this.clock.now();
    if (wait > 0) this.addAfter(key, wait);
    else this.add(key);
  }

  /** Adds after the rate limiter's delay for this key (one more failure). */
  addRateLimited(key: K): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** The key succeeded: reset its backoff. */
  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.numRequeues(key);
  }

  /** The next key to process; undefined once shut down and drained. Call `done(key)` after. */
  get(): Promise<K | undefined> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Processing of `key` finished; if it was re-added meanwhile, it is queued again now. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.dispatch();
    }
  }

  /** Keys waiting (not counting delayed or in-process ones). */
  len(): number {
    return this.queue.length - this.head;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** No new adds; waiting getters get undefined once the queue is empty. Delayed adds are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    if (this.len() === 0) for (const w of this.waiters.splice(0)) w(undefined);
  }

  private take(): K {
    const key = this.queue[this.head++]!;
    // Drop the consumed prefix once it is most of the array.
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.processing.add(key);
    this.dirty.delete(key);
    const now = this.clock.now();
    this.lastStarted.set(key, now);
    if (this.lastStarted.size > this.nextSweepAt) {
      for (const [k, t] of this.lastStarted) if (now - t > LAST_STARTED_TTL_MS) this.lastStarted.delete(k);
      this.nextSweepAt = Math.max(LAST_STARTED_SWEEP_SIZE, 2 * this.lastStarted.size);
    }
    return key;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.len() > 0) this.waiters.shift()!(this.take());
  }
}
