import { decodeContinue, encodeContinue, parseResourceVersion } from './continue-token.js';
import { alreadyExists, conflict, expired, invalid, notFound, tooLarge, unavailable } from './errors.js';
import { guaranteedUpdate } from './guaranteed-update.js';
import type {
  GuaranteedUpdateOptions,
  KeyValue,
  ListOptions,
  ListResult,
  Preconditions,
  Storage,
  TryUpdate,
  WatchEvent,
  WatchOptions,
  Watcher,
} from './interface.js';
import { normalizePrefix, prefixEnd } from './keys.js';
import { checkPreconditions } from './preconditions.js';
import type { KeyRange, LogRow, RevisionLog } from './revision-log.js';
import { WatchHub } from './watch-hub.js';

const EMPTY = Buffer.alloc(0);

function toKv(row: LogRow): KeyValue {
  return { key: row.key, value: row.value, modRevision: row.rev, createRevision: row.createRev };
}

function toEvent(row: LogRow): WatchEvent {
  const type = row.deleted ? 'DELETED' : row.createRev === row.rev ? 'ADDED' : 'MODIFIED';
  return { type, kv: toKv(row) };
}

function prefixRange(prefix: string): KeyRange {
  const start = normalizePrefix(prefix);
  return { start, end: prefixEnd(start) };
}

/**
 * Storage over a RevisionLog that this process owns: every write goes
 * through here, so watchers are fed by in-process fan-out, never by polling.
 */
interface PendingWrite {
  /** Checks and appends inside the batch's transaction; throws to fail this write alone. */
  apply(log: RevisionLog): LogRow;
  resolve(row: LogRow): void;
  reject(err: unknown): void;
}

export class LogStorage<L extends RevisionLog = RevisionLog> implements Storage {
  private readonly hub = new WatchHub();
  private closed = false;
  private batch: PendingWrite[] = [];

  constructor(
    readonly backend: string,
    readonly log: L,
  ) {}

  private live(): L {
    if (this.closed) throw unavailable(`${this.backend} store is closed`);
    return this.log;
  }

  async get(key: string): Promise<KeyValue> {
    const row = this.live().latest(key);
    if (!row || row.deleted) throw notFound(key);
    return toKv(row);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const log = this.live();
    const range = prefixRange(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    let atRev: number;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      if (options.resourceVersion && options.resourceVersion !== '0' && Number(options.resourceVersion) !== token.revision) {
        throw invalid('specifying resource version is not allowed when using continue');
      }
      if (token.start < range.start || token.start >= range.end) throw invalid('continue key is not valid for this list');
      atRev = token.revision;
      range.start = token.start;
    } else {
      const rv = parseResourceVersion(options.resourceVersion);
      atRev = rv === undefined || rv === 0 ? log.head() : rv;
    }
    if (atRev > log.head()) throw tooLarge(atRev, log.head());
    if (atRev < log.compacted()) throw expired(atRev, log.compacted());
    const rows = log.rangeLatest(range, atRev, limit ? limit + 1 : 0);
    const result: ListResult = { items: rows.slice(0, limit || rows.length).map(toKv), revision: atRev };
    if (limit && rows.length > limit) {
      result.continue = encodeContinue(atRev, result.items[result.items.length - 1]!.key);
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    return this.live().countLatest(prefixRange(prefix));
  }

  /**
   * Group commit: writes issued in the same turn of the event loop (every
   * request read in one poll phase) share one transaction (one WAL commit),
   * in the order they were issued; setImmediate, not a microtask, so that a
   * busy server batches many requests instead of committing one at a time. Each write still checks its
   * own preconditions against the writes before it in the batch.
   */
  private write(apply: PendingWrite['apply']): Promise<KeyValue> {
    this.live();
    return new Promise<LogRow>((resolve, reject) => {
      if (this.batch.push({ apply, resolve, reject }) === 1) setImmediate(() => this.flush());
    }).then(toKv);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    const done: [PendingWrite, LogRow][] = [];
    const failed: [PendingWrite, unknown][] = [];
    try {
      this.log.transaction(() => {
        for (const w of batch) {
          try {
            done.push([w, w.apply(this.log)]);
          } catch (err) {
            failed.push([w, err]);
          }
        }
      });
    } catch (err) {
      // The commit itself failed: nothing in the batch was written.
      const cause = unavailable(`${this.backend} commit failed: ${(err as Error).message}`, err);
      for (const w of batch) w.reject(cause);
      return;
    }
    for (const [w, row] of done) {
      this.hub.publish(toEvent(row));
      w.resolve(row);
    }
    for (const [w, err] of failed) w.reject(err);
  }

  create(key: string, value: Buffer): Promise<KeyValue> {
    return this.write((log) => {
      const cur = log.latestHeader(key);
      if (cur && !cur.deleted) throw alreadyExists(key);
      const rev = log.head() + 1;
      const row: LogRow = { rev, key, createRev: rev, prevRev: cur?.rev ?? 0, deleted: false, value };
      log.append(row);
      return row;
    });
  }

  update(key: string, value: Buffer, expectedRevision: number): Promise<KeyValue> {
    return this.write((log) => {
      const cur = log.latestHeader(key);
      if (!cur || cur.deleted) throw notFound(key);
      if (cur.rev !== expectedRevision) {
        throw conflict(key, `revision is ${cur.rev}, expected ${expectedRevision}`);
      }
      const row: LogRow = { rev: log.head() + 1, key, createRev: cur.createRev, prevRev: cur.rev, deleted: false, value };
      log.append(row);
      return row;
    });
  }

  guaranteedUpdate(key: string, tryUpdate: TryUpdate, options?: GuaranteedUpdateOptions): Promise<KeyValue> {
    return guaranteedUpdate(this, key, tryUpdate, options);
  }

  delete(key: string, preconditions?: Preconditions): Promise<KeyValue> {
    return this.write((log) => {
      const cur = log.latest(key);
      if (!cur || cur.deleted) throw notFound(key);
      checkPreconditions(key, toKv(cur), preconditions);
      const row: LogRow = { ...cur, rev: log.head() + 1, prevRev: cur.rev, deleted: true };
      log.append(row);
      return row;
    });
  }

  async watch(key: string, options: WatchOptions = {}): Promise<Watcher> {
    const log = this.live();
    const recursive = options.recursive ?? false;
    const { revision } = options;
    if (revision !== undefined && revision < log.compacted()) throw expired(revision, log.compacted());
    // Subscribe before replaying history so nothing falls between the two.
    const sub = this.hub.subscribe(key, recursive);
    const head = log.head();
    if (revision !== undefined && revision < head) {
      const range = recursive ? prefixRange(key) : { start: key, end: `${key}\u0000` };
      for (const row of log.since(range, revision)) sub.channel.push(toEvent(row));
    }
    sub.caughtUp(Math.max(head, revision ?? head));
    const channel = sub.channel;
    // Commits publish synchronously, so everything up to head is already queued.
    channel.requestProgress = () =>
      channel.push({ type: 'PROGRESS', kv: { key: '', value: EMPTY, modRevision: log.head(), createRevision: 0 } });
    return channel;
  }

  async currentRevision(): Promise<number> {
    return this.live().head();
  }

  async compact(revision: number): Promise<void> {
    const log = this.live();
    if (revision <= log.compacted()) return;
    if (revision > log.head()) throw tooLarge(revision, log.head());
    log.compact(revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.batch.length) this.flush(); // acknowledge what was already issued
    this.closed = true;
    this.hub.closeAll();
    await this.log.close();
  }
}
