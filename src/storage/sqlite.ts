import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LogStorage } from './log-storage.js';
import type { KeyRange, LogRow, RevisionLog, RowHeader } from './revision-log.js';
import { SqliteCheckpointer, type CheckpointerOptions } from './sqlite-checkpointer.js';

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
  /** When the WAL is copied back into the database file (by a worker thread). */
  checkpoints?: CheckpointerOptions;
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

/** Why a SQLite open failed, in a user's words. */
function startError(file: string, err: unknown): SqliteStartError {
  if (err instanceof SqliteStartError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new SqliteStartError(`the store at ${file} is in use by another kubets process (the data directory is locked)`, { cause: err });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new SqliteStartError(`the store at ${file} is corrupt or not a SQLite database; it was left untouched`, { cause: err });
  }
  return new SqliteStartError(`cannot open the store at ${file}: ${(err as Error).message}`, { cause: err });
}

/**
 * One process at a time owns a store. The store itself cannot carry that
 * lock: the checkpoint thread opens a second connection to it. So a tiny
 * database beside it is held in EXCLUSIVE locking mode for the life of the
 * owner; the OS drops the lock when the process dies, even by kill -9.
 */
function lockStore(file: string): Database.Database {
  let lock: Database.Database | undefined;
  try {
    lock = new Database(`${file}.lock`, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT;');
    return lock;
  } catch (err) {
    lock?.close();
    throw startError(file, err);
  }
}

function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (err) {
    throw startError(file, err);
  }
  try {
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
    }
    return db;
  } catch (err) {
    db.close();
    throw startError(file, err);
  }
}

/** What one row adds to the WAL beyond its key and value: row header, index entry, page slack. */
const ROW_OVERHEAD_BYTES = 64;
/** A compaction rewrites pages across the table; count it as this much WAL. */
const COMPACTION_BYTES = 256 * 1024;

/** The kine-style revision log in one SQLite table, with the revision as its primary key. */
export class SqliteLog implements RevisionLog {
  private readonly lock: Database.Database;
  private readonly db: Database.Database;
  private readonly checkpointer: SqliteCheckpointer;
  /** WAL bytes the open transaction has added so far. */
  private txnBytes = 0;
  private headRev: number;
  private compactedRev: number;
  private readonly stmts;
  /** One transaction wrapper for every batch, not a new one per commit. */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(file: string, options: SqliteOptions = {}) {
    this.lock = lockStore(file);
    try {
      this.db = openDatabase(file);
    } catch (err) {
      this.lock.close();
      throw err;
    }
    const db = this.db;
    const synchronous = options.sync === 'full' ? 'FULL' : 'NORMAL';
    db.pragma(`synchronous = ${synchronous}`);
    // Commits only append to the WAL; the checkpointer's thread copies it back
    // (with its fsyncs), and a WAL restarted after a burst shrinks to this.
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    this.checkpointer = new SqliteCheckpointer(
      { file, synchronous },
      () => db.pragma('wal_checkpoint(TRUNCATE)'),
      options.checkpoints,
    );
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
    this.txnBytes += row.key.length + row.value.length + ROW_OVERHEAD_BYTES;
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
    this.checkpointer.noteCommitted(COMPACTION_BYTES);
  }

  transaction<T>(fn: () => T): T {
    const head = this.headRev;
    this.txnBytes = 0;
    let result: T;
    try {
      result = this.inTransaction(fn) as T;
    } catch (err) {
      this.headRev = head; // the rows were rolled back
      throw err;
    }
    this.checkpointer.noteCommitted(this.txnBytes);
    return result;
  }

  /** Resolves once no background checkpoint is running (for tests). */
  checkpointsIdle(): Promise<void> {
    return this.checkpointer.idle();
  }

  /** Checkpoints the checkpoint thread has completed. */
  checkpointsCompleted(): number {
    return this.checkpointer.completed;
  }

  async close(): Promise<void> {
    await this.checkpointer.close();
    if (this.db.open) this.db.close();
    if (this.lock.open) this.lock.close();
  }
}

/** Opens (or creates) the SQLite store under `dir` (the data dir's db/ folder). */
export function openSqliteStorage(dir: string, options: SqliteOptions = {}): LogStorage<SqliteLog> {
  fs.mkdirSync(dir, { recursive: true });
  return new LogStorage('sqlite', new SqliteLog(path.join(dir, 'state.db'), options));
}
