// The kine model: the store is an append-only log of revisions. Each write
// appends one row; the newest row of a key is its current value (or a
// tombstone). Backends that own their data (memory, SQLite) implement this
// small synchronous interface and get the whole Storage from LogStorage.

export interface LogRow {
  rev: number;
  key: string;
  createRev: number;
  /** Revision of the row this one supersedes (0 for a create). */
  prevRev: number;
  deleted: boolean;
  /** For a tombstone, the value that was deleted. */
  value: Buffer;
}

export type RowHeader = Pick<LogRow, 'rev' | 'createRev' | 'deleted'>;

/** Half-open key range [start, end). */
export interface KeyRange {
  start: string;
  end: string;
}

export interface RevisionLog {
  /** Newest revision written (0 for an empty log). */
  head(): number;
  /** History at and below this revision has been dropped. */
  compacted(): number;
  /** The newest row of `key` at or below `atRev` (default: head). */
  latest(key: string, atRev?: number): LogRow | undefined;
  /** The newest row of `key` without its value: what a write checks before it appends. */
  latestHeader(key: string): RowHeader | undefined;
  /** Appends a row; `row.rev` must be head() + 1. */
  append(row: LogRow): void;
  /** The live (not deleted) newest row of each key in range at `atRev`, ordered by key. */
  rangeLatest(range: KeyRange, atRev: number, limit: number): LogRow[];
  countLatest(range: KeyRange): number;
  /** Every row in range with a revision greater than `afterRev`, in revision order. */
  since(range: KeyRange, afterRev: number): LogRow[];
  /** Drops superseded rows and tombstones at or below `rev`. */
  compact(rev: number): void;
  /** Runs `fn` atomically. */
  transaction<T>(fn: () => T): T;
  close(): void | Promise<void>;
}
