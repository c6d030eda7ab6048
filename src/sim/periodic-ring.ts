// Periodic work for many keys with one timer: each key is due once per
// period, keys added together are spread evenly over the period, and a key
// whose previous run is still in flight is skipped rather than piled up.
// Every key has the same period, so a FIFO of (key, due) stays sorted.
import type { Clock } from '../util/clock.js';

export interface PeriodicRingOptions<K> {
  clock: Clock;
  periodMs: number;
  /** The work for one key; failures are the callee's to log. */
  run(key: K): Promise<void>;
  /** At most this many runs in flight (default 32). */
  concurrency?: number;
}

export class PeriodicRing<K> {
  private readonly due: { key: K; at: number }[] = [];
  private head = 0;
  private readonly members = new Set<K>();
  private readonly inFlight = new Set<K>();
  private timer: unknown;
  private timerAt = Infinity;
  private stopped = false;
  private readonly concurrency: number;
  /** Keys due and waiting for a free slot, and the number of runs going. */
  private readonly pending: K[] = [];
  private running = 0;

  constructor(private readonly opts: PeriodicRingOptions<K>) {
    this.concurrency = opts.concurrency ?? 32;
  }

  /** Adds keys; the first runs are spread over [now + delayMs, now + delayMs + period). */
  add(keys: readonly K[], delayMs = 0): void {
    const now = this.opts.clock.now();
    const step = keys.length > 0 ? this.opts.periodMs / keys.length : 0;
    keys.forEach((key, i) => {
      if (this.members.has(key)) return;
      this.members.add(key);
      this.insert(key, now + delayMs + i * step);
    });
    this.arm();
  }

  remove(key: K): void {
    this.members.delete(key);
  }

  has(key: K): boolean {
    return this.members.has(key);
  }

  get size(): number {
    return this.members.size;
  }

  /** No more runs start; runs in flight finish on their own. */
  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Keeps the FIFO sorted: a due time earlier than the tail goes in its place (only at add time). */
  private insert(key: K, at: number): void {
    let i = this.due.length;
    while (i > this.head && this.due[i - 1]!.at > at) i--;
    this.due.splice(i, 0, { key, at });
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.due[this.head];
    if (!next) return;
    if (this.timer !== undefined && this.timerAt <= next.at) return;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = this.opts.clock.setTimeout(() => this.fire(), Math.max(0, next.at - this.opts.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.opts.clock.now();
    while (this.head < this.due.length && this.due[this.head]!.at <= now) {
      const { key, at } = this.due[this.head++]!;
      if (!this.members.has(key)) continue;
      // Next slot keeps the key's phase; a run still going (slow server) just misses this turn.
      this.due.push({ key, at: Math.max(at + this.opts.periodMs, now) });
      if (this.inFlight.has(key)) continue;
      this.start(key);
    }
    if (this.head > 1024 && this.head * 2 > this.due.length) {
      this.due.splice(0, this.head);
      this.head = 0;
    }
    this.arm();
  }

  private start(key: K): void {
    this.inFlight.add(key);
    this.pending.push(key);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.pending.length > 0) {
      const key = this.pending.shift()!;
      this.running++;
      void this.opts
        .run(key)
        .catch(() => {})
        .finally(() => {
          this.running--;
          this.inFlight.delete(key);
          this.pump();
        });
    }
  }
}
