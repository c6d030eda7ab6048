import { LogStorage } from './log-storage.js';
import type { KeyRange, LogRow, RevisionLog, RowHeader } from './revision-log.js';

/** A RevisionLog held in memory, for unit tests of other components. */
export class MemoryLog implements RevisionLog {
  private rows: LogRow[] = [];
  private byKey = new Map<string, LogRow[]>();
  private headRev = 0;
  private compactedRev = 0;

  head(): number {
    return this.headRev;
  }

  compacted(): number {
    return this.compactedRev;
  }

  latest(key: string, atRev = this.headRev): LogRow | undefined {
    const history = this.byKey.get(key);
    if (!history) return undefined;
    for (let i = history.length - 1; i >= 0; i--) if (history[i]!.rev <= atRev) return history[i];
    return undefined;
  }

  latestHeader(key: string): RowHeader | undefined {
    return this.latest(key);
  }

  append(row: LogRow): void {
    if (row.rev !== this.headRev + 1) throw new Error(`append out of order: ${row.rev} after ${this.headRev}`);
    this.rows.push(row);
    const history = this.byKey.get(row.key);
    if (history) history.push(row);
    else this.byKey.set(row.key, [row]);
    this.headRev = row.rev;
  }

  private keysIn(range: KeyRange): string[] {
    const keys: string[] = [];
    for (const key of this.byKey.keys()) if (key >= range.start && key < range.end) keys.push(key);
    return keys.sort();
  }

  rangeLatest(range: KeyRange, atRev: number, limit: number): LogRow[] {
    const out: LogRow[] = [];
    for (const key of this.keysIn(range)) {
      const row = this.latest(key, atRev);
      if (row && !row.deleted) out.push(row);
      if (limit && out.length >= limit) break;
    }
    return out;
  }

  countLatest(range: KeyRange): number {
    return this.rangeLatest(range, this.headRev, 0).length;
  }

  since(range: KeyRange, afterRev: number): LogRow[] {
    // rows is sorted by rev: binary-search the first row after afterRev.
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid]!.rev <= afterRev) lo = mid + 1;
      else hi = mid;
    }
    return this.rows.slice(lo).filter((r) => r.key >= range.start && r.key < range.end);
  }

  compact(rev: number): void {
    const keep = new Set<LogRow>();
    for (const [key, history] of this.byKey) {
      const kept = history.filter((row, i) => {
        if (row.rev > rev) return true;
        const next = history[i + 1];
        // Superseded at or below the compaction point, or a compacted tombstone.
        return !(next && next.rev <= rev) && !row.deleted;
      });
      if (kept.length) this.byKey.set(key, kept);
      else this.byKey.delete(key);
      for (const row of kept) keep.add(row);
    }
    this.rows = this.rows.filter((r) => keep.has(r));
    this.compactedRev = rev;
  }

  transaction<T>(fn: () => T): T {
    // Single-threaded and synchronous: nothing can interleave, and every
    // LogStorage write checks before it appends, so there is nothing to undo.
    return fn();
  }

  close(): void {
    this.rows = [];
    this.byKey.clear();
  }
}

export function openMemoryStorage(): LogStorage {
  return new LogStorage('memory', new MemoryLog());
}
