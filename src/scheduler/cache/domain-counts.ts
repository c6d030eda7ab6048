// Cluster-wide "matching pods per topology domain" kept up to date from the
// snapshot's change log, so a spreading cycle costs O(changed nodes + domains)
// instead of O(all nodes). Without a change log it falls back to a full scan.
import type { NodeInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';

export interface DomainCounter {
  /** Topology key per constraint; a node counts only with all of them. */
  readonly topologyKeys: readonly string[];
  /** Beyond having the keys, whether the node counts (node affinity / taint policies). */
  eligible(ni: NodeInfo): boolean;
  /** Matching pods on the node for constraint i. */
  count(ni: NodeInfo, i: number): number;
}

interface Contribution {
  values: string[];
  counts: number[];
}

class Aggregate {
  snap: Snapshot | undefined;
  seq = -1;
  readonly perNode = new Map<NodeInfo, Contribution>();
  totals: Map<string, number>[] = [];
  domainNodes: Map<string, number>[] = [];

  reset(n: number): void {
    this.perNode.clear();
    this.totals = Array.from({ length: n }, () => new Map());
    this.domainNodes = Array.from({ length: n }, () => new Map());
  }

  recompute(ni: NodeInfo, c: DomainCounter): void {
    const old = this.perNode.get(ni);
    if (old) {
      for (let i = 0; i < old.values.length; i++) {
        const v = old.values[i]!;
        const left = this.domainNodes[i]!.get(v)! - 1;
        if (left === 0) {
          this.domainNodes[i]!.delete(v);
          this.totals[i]!.delete(v);
        } else {
          this.domainNodes[i]!.set(v, left);
          this.totals[i]!.set(v, this.totals[i]!.get(v)! - old.counts[i]!);
        }
      }
      this.perNode.delete(ni);
    }
    if (!ni.node) return;
    const labels = ni.labels;
    const values: string[] = [];
    for (const k of c.topologyKeys) {
      const v = labels[k];
      if (v === undefined) return;
      values.push(v);
    }
    if (!c.eligible(ni)) return;
    const counts = values.map((_, i) => c.count(ni, i));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      this.domainNodes[i]!.set(v, (this.domainNodes[i]!.get(v) ?? 0) + 1);
      this.totals[i]!.set(v, (this.totals[i]!.get(v) ?? 0) + counts[i]!);
    }
    this.perNode.set(ni, { values, counts });
  }
}

const MAX_AGGREGATES = 512;

/** Holds the aggregates of one plugin instance, keyed by what they count. */
export class DomainCountCache {
  private readonly aggs = new Map<string, Aggregate>();

  /**
   * Per constraint, domain value → matching pods, with every eligible domain
   * present (0 when empty). `key` must identify the counter's behaviour.
   * The maps are fresh copies the caller may change.
   */
  counts(snap: Snapshot, key: string, c: DomainCounter): Map<string, number>[] {
    return this.view(snap, key, c).map((m) => new Map(m));
  }

  /** As `counts`, without copying: valid until the next call; must not be changed. */
  view(snap: Snapshot, key: string, c: DomainCounter): readonly ReadonlyMap<string, number>[] {
    let agg = this.aggs.get(key);
    if (!agg) {
      if (this.aggs.size >= MAX_AGGREGATES) this.aggs.clear();
      this.aggs.set(key, (agg = new Aggregate()));
    }
    const seq = snap.changeSeq;
    const a = agg;
    const incremental =
      seq !== undefined && a.snap === snap && a.seq >= 0 && snap.forEachChangeSince !== undefined && snap.forEachChangeSince(a.seq, (ni) => a.recompute(ni, c));
    if (!incremental) {
      a.reset(c.topologyKeys.length);
      for (const ni of snap.list()) a.recompute(ni, c);
      a.snap = snap;
    }
    a.seq = seq ?? -1;
    return a.totals;
  }
}
