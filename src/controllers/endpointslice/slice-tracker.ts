// Remembers the EndpointSlice writes this controller made per Service, so a
// reconcile that runs before the informer has seen them (a stale cache)
// waits instead of creating duplicates, as upstream's slice tracker does.
import type { EndpointSlice } from '../../client/types.js';

type Expected = { rv: number } | 'deleted';

export class SliceTracker {
  private readonly bySvc = new Map<string, Map<string, Expected>>();

  written(svcKey: string, slice: EndpointSlice): void {
    this.entries(svcKey).set(slice.metadata.name!, { rv: Number(slice.metadata.resourceVersion ?? 0) });
  }

  deleted(svcKey: string, sliceName: string): void {
    this.entries(svcKey).set(sliceName, 'deleted');
  }

  forget(svcKey: string): void {
    this.bySvc.delete(svcKey);
  }

  /**
   * True when `cached` (the informer's slices for the service) reflects every
   * write made; observed writes are dropped from the record.
   */
  upToDate(svcKey: string, cached: readonly EndpointSlice[]): boolean {
    const want = this.bySvc.get(svcKey);
    if (!want) return true;
    const byName = new Map(cached.map((s) => [s.metadata.name!, s]));
    for (const [name, exp] of want) {
      const seen = byName.get(name);
      const observed = exp === 'deleted' ? !seen : !!seen && Number(seen.metadata.resourceVersion ?? 0) >= exp.rv;
      if (observed) want.delete(name);
    }
    if (want.size === 0) this.bySvc.delete(svcKey);
    return want.size === 0;
  }

  private entries(svcKey: string): Map<string, Expected> {
    let m = this.bySvc.get(svcKey);
    if (!m) this.bySvc.set(svcKey, (m = new Map()));
    return m;
  }
}
