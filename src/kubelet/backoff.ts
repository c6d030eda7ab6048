// Per-key exponential back-off with upstream's semantics: a key is "in
// back-off" while less than its current delay has passed since the event
// (a container's exit, a failed pull); each retry outside it doubles the
// delay up to a maximum; an entry untouched for twice the maximum starts over.
import type { Clock } from '../util/clock.js';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  /** True while `eventMs` is less than the key's current delay ago. */
  isInBackOffSince(key: string, eventMs: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e)) return false;
    return this.clock.now() - eventMs < e.backoffMs;
  }

  /** Milliseconds until the back-off since `eventMs` ends (0 when not in back-off). */
  remaining(key: string, eventMs: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e)) return 0;
    return Math.max(0, eventMs + e.backoffMs - this.clock.now());
  }

  /** Records a retry now: the first sets the initial delay, later ones double it. */
  next(key: string): number {
    const e = this.entries.get(key);
    const now = this.clock.now();
    if (!e || this.expired(e)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
      return this.initialMs;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = now;
    return e.backoffMs;
  }

  /** The current delay for a key (0 if none). */
  current(key: string): number {
    const e = this.entries.get(key);
    return e && !this.expired(e) ? e.backoffMs : 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops entries of keys starting with `prefix` (a pod's, when it goes away). */
  resetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(e: Entry): boolean {
    return this.clock.now() - e.lastUpdate > 2 * this.maxMs;
  }
}
