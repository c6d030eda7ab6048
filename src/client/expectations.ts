// Controller expectations, as client-go's: after issuing N creates/deletes for
// a controller key, the controller waits to observe them through its informer
// before acting on that key again, so a stale cache cannot cause duplicates.
// Records that are never fulfilled expire (5 minutes) so a lost event cannot
// wedge a controller forever.
import { realClock, type Clock } from '../util/clock.js';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record_ {
  add: number;
  del: number;
  /** When the expectation was (re)set; used for expiry. */
  timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Record_>();

  constructor(private readonly clock: Clock = realClock, private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  /** Replaces whatever was expected for `key`. */
  setExpectations(key: string, add: number, del: number): void {
    this.records.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, n: number): void {
    this.setExpectations(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.setExpectations(key, 0, n);
  }

  /** Adds to what is expected (e.g. a second batch before the first was observed). */
  raiseExpectations(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (!r) return;
    r.add += add;
    r.del += del;
  }

  lowerExpectations(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (!r) return;
    r.add -= add;
    r.del -= del;
  }

  /** An informer saw one of the expected creates (or a create failed and will not be seen). */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  /**
   * True when the controller may act on `key`: nothing recorded, everything
   * observed, or the record expired.
   */
  satisfiedExpectations(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.timestamp > this.timeoutMs;
  }

  /** Pending counts, for logging and tests. */
  getExpectations(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r ? { add: r.add, del: r.del } : undefined;
  }

  /** Forget `key` (its controller object was deleted). */
  deleteExpectations(key: string): void {
    this.records.delete(key);
  }
}
