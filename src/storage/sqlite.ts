import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LogStorage } from './log-storage.js';
import type { KeyRange, LogRow, RevisionLog, RowHeader } from './revision-log.js';

/** Marks a SQLite file as ours ("kube" in ASCII), so a foreign file is refused, never reset. */
const APPLICATION_ID = 0x6b756265;
const SCHEMA_VERSION = 1;

export type SqliteSync = 'normal' | 'full';

export interface SqliteOptions {
  /**
   * "normal" (default): an acknowledged write survives a crash of the process;
   * a power loss may lose the newest writes but never corrupts the file.
   * "full": an fsync per commit, so acknowledged writes also survive power loss.
   */
  sync?: SqliteSync;
}

export class SqliteStartError extends Error {
  override name = 'SqliteStartError';
}

interface Row {
  rev: number;
  key: string;
  create_rev: number;
  prev_rev: number;
  deleted: number;
  value: Buffer;
}

const toRow = (r: Row): LogRow => ({
  rev: r.rev,
  key: r.key,
  createRev: r.create_rev,
  prevRev: r.prev_rev,
  deleted: r.deleted === 1,
  value: r.value,
});

const SCHEMA = `
CREATE TABLE kv (
  rev INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  create_rev INTEGER NOT NULL,
  prev_rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX kv_key_rev ON kv (key, rev);
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('schema_version', ${SCHEMA_VERSION}), ('compact_rev', 0);
`;

function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (err) {
    throw new SqliteStartError(`cannot open the store at ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    // EXCLUSIVE before WAL: no shared-memory index, and the lock taken by the
    // first write below is held for the life of the process. The OS drops it
    // when the process dies, even by kill -9.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (appId === 0 && tables.n === 0) {
      db.exec(`BEGIN IMMEDIATE; PRAGMA application_id = ${APPLICATION_ID}; ${SCHEMA} COMMIT;`);
    } else if (appId !== APPLICATION_ID) {
      throw new SqliteStartError(`${file} is not a kubets store (it is some other SQLite database); refusing to touch it`);
    } else {
      const version = db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").pluck().get();
      if (version !== SCHEMA_VERSION) {
        throw new SqliteStartError(`${file} has store schema version ${String(version)}; this kubets expects ${SCHEMA_VERSION}`);
      }
      // Take the write lock now, so a second process fails at start, not later.
      db.exec('BEGIN IMMEDIATE; COMMIT;');
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof SqliteStartError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new SqliteStartError(`the store at ${file} is in use by another kubets process (the data directory is locked)`, { cause: err });
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new SqliteStartError(`the store at ${file} is corrupt or not a SQLite database; it was left untouched`, { cause: err });
    }
    throw new SqliteStartError(`cannot open the store at ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The kine-style revision log in one SQLite table, with the revision as its primary key. */
export class SqliteLog implements RevisionLog {
  private readonly db: Database.Database;
  private headRev: number;
  private compactedRev: number;
  private readonly stmts;
  /** One transaction wrapper for every batch, not a new one per commit. */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(file: string, options: SqliteOptions = {}) {
    this.db = openDatabase(file);
    this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    const db = this.db;
    this.stmts = {
      meta: db.prepare('SELECT value FROM meta WHERE name = ?').pluck(),
      setMeta: db.prepare('UPDATE meta SET value = ? WHERE name = ?'),
      latest: db.prepare('SELECT * FROM kv WHERE key = ? AND rev <= ? ORDER BY rev DESC LIMIT 1'),
      // No value column: a write's check need not read the (overflow) pages of the object.
      latestHeader: db.prepare('SELECT rev, create_rev, deleted FROM kv WHERE key = ? ORDER BY rev DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO kv (rev, key, create_rev, prev_rev, deleted, value) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      range: db.prepare(
        `SELECT a.* FROM kv a WHERE a.key >= ? AND a.key < ? AND a.deleted = 0
           AND a.rev = (SELECT max(b.rev) FROM kv b WHERE b.key = a.key AND b.rev <= ?)
         ORDER BY a.key LIMIT ?`,
      ),
      count: db.prepare(
        `SELECT count(*) FROM kv a WHERE a.key >= ? AND a.key < ? AND a.deleted = 0
           AND a.rev = (SELECT max(b.rev) FROM kv b WHERE b.key = a.key)`,
      ).pluck(),
      since: db.prepare('SELECT * FROM kv WHERE rev > ? AND key >= ? AND key < ? ORDER BY rev'),
      compact: db.prepare(
        `DELETE FROM kv WHERE rev > ? AND rev <= ? AND (deleted = 1
           OR EXISTS (SELECT 1 FROM kv b WHERE b.key = kv.key AND b.rev > kv.rev AND b.rev <= ?))`,
      ),
    };
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
    // AUTOINCREMENT's counter never goes back, even when compaction drops the newest tombstone.
    this.headRev = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kv'").pluck().get() as number | undefined) ?? 0;
    this.compactedRev = this.stmts.meta.get('compact_rev') as number;
  }

  head(): number {
    return this.headRev;
  }

  compacted(): number {
    return this.compactedRev;
  }

  latest(key: string, atRev = this.headRev): LogRow | undefined {
    const r = this.stmts.latest.get(key, atRev) as Row | undefined;
    return r && toRow(r);
  }

  latestHeader(key: string): RowHeader | undefined {
    const r = this.stmts.latestHeader.get(key) as Pick<Row, 'rev' | 'create_rev' | 'deleted'> | undefined;
    return r && { rev: r.rev, createRev: r.create_rev, deleted: r.deleted === 1 };
  }

  append(row: LogRow): void {
    if (row.rev !== this.headRev + 1) throw new Error(`append out of order: ${row.rev} after ${this.headRev}`);
    this.stmts.insert.run(row.rev, row.key, row.createRev, row.prevRev, row.deleted ? 1 : 0, row.value);
    this.headRev = row.rev;
  }

  rangeLatest(range: KeyRange, atRev: number, limit: number): LogRow[] {
    return (this.stmts.range.all(range.start, range.end, atRev, limit || -1) as Row[]).map(toRow);
  }

  countLatest(range: KeyRange): number {
    return this.stmts.count.get(range.start, range.end) as number;
  }

  since(range: KeyRange, afterRev: number): LogRow[] {
    return (this.stmts.since.all(afterRev, range.start, range.end) as Row[]).map(toRow);
  }

  compact(rev: number): void {
    this.db.transaction(() => {
      this.stmts.compact.run(0, rev, rev);
      this.stmts.setMeta.run(rev, 'compact_rev');
    })();
    this.compactedRev = rev;
  }

  transaction<T>(fn: () => T): T {
    const head = this.headRev;
    try {
      return this.inTransaction(fn) as T;
    } catch (err) {
      this.headRev = head; // the rows were rolled back
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (or creates) the SQLite store under `dir` (the data dir's db/ folder). */
export function openSqliteStorage(dir: string, options: SqliteOptions = {}): LogStorage {
  fs.mkdirSync(dir, { recursive: true });
  return new LogStorage('sqlite', new SqliteLog(path.join(dir, 'state.db'), options));
}
