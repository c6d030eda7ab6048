// Expectations that remember which pods a deletion was issued for, as
// upstream's UIDTrackingControllerExpectations: a pod seen first with a
// deletionTimestamp and then gone must count once, not twice.
import { ControllerExpectations } from '../../client/expectations.js';
import type { Clock } from '../../util/clock.js';

export class TrackingExpectations {
  private readonly counts: ControllerExpectations;
  private readonly pendingDeletes = new Map<string, Set<string>>();

  constructor(clock?: Clock) {
    this.counts = new ControllerExpectations(clock);
  }

  expectCreations(key: string, n: number): void {
    this.pendingDeletes.delete(key);
    this.counts.expectCreations(key, n);
  }

  creationObserved(key: string): void {
    this.counts.creationObserved(key);
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.pendingDeletes.set(key, new Set(podKeys));
    this.counts.expectDeletions(key, podKeys.length);
  }

  /** Counts only the first sighting of each expected pod's deletion. */
  deletionObserved(key: string, podKey: string): void {
    if (this.pendingDeletes.get(key)?.delete(podKey)) this.counts.deletionObserved(key);
  }

  satisfied(key: string): boolean {
    return this.counts.satisfiedExpectations(key);
  }

  pending(key: string): { add: number; del: number } | undefined {
    return this.counts.getExpectations(key);
  }

  delete(key: string): void {
    this.pendingDeletes.delete(key);
    this.counts.deleteExpectations(key);
  }
}
