// The etcd v3 backend. etcd's mod_revision is the resourceVersion; writes
// are compare-and-swap transactions; lists and watches use etcd's own MVCC
// history, so this process keeps no state of its own besides open watches.
import { Etcd3, type IEvent, type IKeyValue, type IRangeRequest, type ITxnResponse } from 'etcd3';
import { noop } from 'cockatiel';
import { decodeContinue, encodeContinue, parseResourceVersion } from './continue-token.js';
import { EtcdCaller, EtcdRevisionError } from './etcd-rpc.js';
import { ResumingWatch, type WatchTarget } from './etcd-watch.js';
import { alreadyExists, conflict, invalid, isStorageError, notFound, StorageError, tooLarge, unavailable } from './errors.js';
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
import { normalizePrefix } from './keys.js';
import { checkPreconditions } from './preconditions.js';

export interface EtcdStorageOptions {
  /** Client URLs such as http://127.0.0.1:2379; requests fail over between them. */
  endpoints: string[];
  /** Prepended to every storage key (default "/registry"). */
  prefix?: string;
  dialTimeoutMs?: number;
  /** Upper bound for any one storage call, retries included (default 5000). */
  requestTimeoutMs?: number;
  /** How long opening keeps trying to reach etcd (default 60 s); each try is one request. */
  startupTimeoutMs?: number;
  /** Told of each failed try while opening waits for etcd. */
  onWaiting?: (err: Error) => void;
}

/** The smallest key greater than every key starting with `prefix`, on bytes. */
function bytesPrefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every key
}

const expiredAt = (revision: number) =>
  new StorageError('Expired', `revision ${revision} has been compacted`);

export class EtcdStorage implements Storage {
  readonly backend = 'etcd';
  private readonly caller: EtcdCaller;
  private readonly watches = new Set<ResumingWatch>();

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    private readonly timeoutMs: number,
  ) {
    this.caller = new EtcdCaller(timeoutMs);
  }

  private etcdKey(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  private storageKey(key: Buffer): string {
    return key.toString().slice(this.prefix.length);
  }

  private toKv(kv: IKeyValue): KeyValue {
    return {
      key: this.storageKey(kv.key),
      value: Buffer.from(kv.value),
      modRevision: Number(kv.mod_revision),
      createRevision: Number(kv.create_revision),
    };
  }

  private prefixRange(prefix: string): { key: Buffer; range_end: Buffer } {
    const key = this.etcdKey(normalizePrefix(prefix));
    return { key, range_end: bytesPrefixEnd(key) };
  }

  private async range(what: string, req: IRangeRequest) {
    return (await this.caller.call(what, (o) => this.client.kv.range(req, o))).value;
  }

  async get(key: string): Promise<KeyValue> {
    const res = await this.range('get', { key: this.etcdKey(key) });
    const kv = res.kvs[0];
    if (!kv) throw notFound(key);
    return this.toKv(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const range = this.prefixRange(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    let atRev: number | undefined; // undefined: latest
    let serializable = false;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      if (options.resourceVersion && options.resourceVersion !== '0' && Number(options.resourceVersion) !== token.revision) {
        throw invalid('specifying resource version is not allowed when using continue');
      }
      const start = this.etcdKey(token.start);
      if (Buffer.compare(start, range.key) < 0 || Buffer.compare(start, range.range_end) >= 0) {
        throw invalid('continue key is not valid for this list');
      }
      atRev = token.revision;
      range.key = start;
    } else {
      const rv = parseResourceVersion(options.resourceVersion);
      if (rv === 0) serializable = true; // any revision will do: a member may answer locally
      else atRev = rv;
    }
    let res;
    try {
      res = await this.range('list', {
        ...range,
        ...(limit ? { limit } : {}),
        ...(atRev !== undefined ? { revision: atRev } : {}),
        serializable,
      });
    } catch (err) {
      if (err instanceof EtcdRevisionError && atRev !== undefined) {
        if (err.kind === 'compacted') throw expiredAt(atRev);
        throw tooLarge(atRev, await this.currentRevision());
      }
      throw err;
    }
    const revision = atRev ?? Number(res.header.revision);
    const items = res.kvs.map((kv) => this.toKv(kv));
    const result: ListResult = { items, revision };
    if (limit && res.more && items.length > 0) {
      result.continue = encodeContinue(revision, items[items.length - 1]!.key);
      const total = Number(res.count);
      if (total > items.length) result.remainingItemCount = total - items.length;
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    const res = await this.range('count', { ...this.prefixRange(prefix), count_only: true });
    return Number(res.count);
  }

  private txn(what: string, compare: ITxnReq['compare'], success: ITxnReq['success'], failure: ITxnReq['failure']) {
    return this.caller.call(what, (o) => this.client.kv.txn({ compare, success, failure }, o));
  }

  async create(key: string, value: Buffer): Promise<KeyValue> {
    const k = this.etcdKey(key);
    const { value: res, ambiguous } = await this.txn(
      'create',
      [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      [{ request_put: { key: k, value } }],
      [],
    );
    if (res.succeeded) return this.written(key, value, res, undefined);
    // After an attempt with an unknown outcome, an existing key may be our own write.
    if (ambiguous) return this.confirmOwnWrite(key, value, true);
    throw alreadyExists(key);
  }

  async update(key: string, value: Buffer, expectedRevision: number): Promise<KeyValue> {
    const k = this.etcdKey(key);
    const { value: res, ambiguous } = await this.txn(
      'update',
      [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }],
      [{ request_put: { key: k, value, prev_kv: true } }],
      [{ request_range: { key: k } }],
    );
    if (res.succeeded) {
      const prev = res.responses[0]?.response_put?.prev_kv;
      return this.written(key, value, res, prev ? Number(prev.create_revision) : undefined);
    }
    if (ambiguous) return this.confirmOwnWrite(key, value, false);
    const cur = res.responses[0]?.response_range?.kvs[0];
    if (!cur) throw notFound(key);
    throw conflict(key, `revision is ${cur.mod_revision}, expected ${expectedRevision}`);
  }

  private written(key: string, value: Buffer, res: ITxnResponse, createRevision: number | undefined): KeyValue {
    const rev = Number(res.header.revision);
    return { key, value, modRevision: rev, createRevision: createRevision ?? rev };
  }

  /**
   * A retried write found its precondition already broken. If the key holds
   * exactly our bytes, the earlier attempt landed; otherwise we cannot tell
   * what happened, and say so rather than report a false conflict.
   */
  private async confirmOwnWrite(key: string, value: Buffer, creating: boolean): Promise<KeyValue> {
    const res = await this.range('confirm write', { key: this.etcdKey(key) });
    const kv = res.kvs[0];
    if (kv && Buffer.compare(Buffer.from(kv.value), value) === 0) {
      const out = this.toKv(kv);
      if (!creating || out.createRevision === out.modRevision) return out;
    }
    throw unavailable(`outcome of the write to ${key} is unknown after a connection failure`);
  }

  guaranteedUpdate(key: string, tryUpdate: TryUpdate, options?: GuaranteedUpdateOptions): Promise<KeyValue> {
    return guaranteedUpdate(this, key, tryUpdate, options);
  }

  async delete(key: string, preconditions?: Preconditions): Promise<KeyValue> {
    const k = this.etcdKey(key);
    let current = await this.get(key);
    for (;;) {
      checkPreconditions(key, current, preconditions);
      const { value: res, ambiguous } = await this.txn(
        'delete',
        [{ key: k, target: 'Mod', result: 'Equal', mod_revision: current.modRevision }],
        [{ request_delete_range: { key: k, prev_kv: true } }],
        [{ request_range: { key: k } }],
      );
      if (res.succeeded) {
        const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
        const last = prev ? this.toKv(prev) : current;
        return { ...last, modRevision: Number(res.header.revision) };
      }
      if (ambiguous) throw unavailable(`outcome of the delete of ${key} is unknown after a connection failure`);
      // Changed between our read and the delete: check the preconditions again.
      const cur = res.responses[0]?.response_range?.kvs[0];
      if (!cur) throw notFound(key);
      current = this.toKv(cur);
    }
  }

  private toEvent = (e: IEvent): WatchEvent => {
    if (e.type === 'Delete') {
      const prev = e.prev_kv ? this.toKv(e.prev_kv) : { key: this.storageKey(e.kv.key), value: Buffer.alloc(0), createRevision: 0 };
      return { type: 'DELETED', kv: { ...prev, modRevision: Number(e.kv.mod_revision) } };
    }
    const kv = this.toKv(e.kv);
    return { type: kv.createRevision === kv.modRevision ? 'ADDED' : 'MODIFIED', kv };
  };

  async watch(key: string, options: WatchOptions = {}): Promise<Watcher> {
    let from: number;
    if (options.revision === undefined) {
      from = await this.currentRevision();
    } else {
      from = options.revision;
      // etcd would accept the watch and cancel it later; check up front so the caller gets Expired now.
      try {
        await this.range('watch check', { key: this.etcdKey(key), revision: Math.max(from, 1), count_only: true });
      } catch (err) {
        if (!(err instanceof EtcdRevisionError)) throw err;
        if (err.kind === 'compacted') throw expiredAt(from);
        // A future revision is fine: the watch waits for it.
      }
    }
    const range = options.recursive ? this.prefixRange(key) : undefined;
    const target: WatchTarget = range ? { key: range.key, rangeEnd: range.range_end } : { key: this.etcdKey(key) };
    const w: ResumingWatch = new ResumingWatch(this.client, target, from, this.toEvent, this.timeoutMs, () =>
      this.watches.delete(w),
    );
    this.watches.add(w);
    // etcd's progress notify backs the Watcher's requestProgress (used by the API server's watch cache).
    w.channel.requestProgress = () => w.requestProgress();
    w.onProgress = (rev) => w.channel.push({ type: 'PROGRESS', kv: { key: '', value: Buffer.alloc(0), modRevision: rev, createRevision: 0 } });
    await w.open();
    return w.channel;
  }

  async currentRevision(): Promise<number> {
    const res = await this.range('current revision', { key: Buffer.from(this.prefix), count_only: true });
    return Number(res.header.revision);
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.caller.call('compact', (o) => this.client.kv.compact({ revision, physical: true }, o));
    } catch (err) {
      if (!(err instanceof EtcdRevisionError)) throw err;
      if (err.kind === 'future') throw tooLarge(revision, await this.currentRevision());
      // Already compacted at or beyond `revision`: nothing to do.
    }
  }

  async close(): Promise<void> {
    if (this.caller.closed) return;
    this.caller.closed = true;
    for (const w of [...this.watches]) w.stop();
    this.client.close();
  }
}

type ITxnReq = Parameters<Etcd3['kv']['txn']>[0];

export async function openEtcdStorage(options: EtcdStorageOptions): Promise<Storage> {
  if (options.endpoints.length === 0) throw invalid('etcd: no endpoints given');
  const prefix = (options.prefix ?? '/registry').replace(/\/+$/, '');
  const client = new Etcd3({
    hosts: options.endpoints,
    dialTimeout: options.dialTimeoutMs ?? 2000,
    // Our own deadline-bounded retry loop decides; the library's circuit
    // breaker would keep refusing a member for seconds after it came back.
    faultHandling: { host: () => noop, global: noop },
    grpcOptions: {
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
    },
  });
  const store = new EtcdStorage(client, prefix, options.requestTimeoutMs ?? 5000);
  // etcd may still be starting (or its host slow to answer the first dial), as
  // a kube-apiserver also finds: try until the start-up deadline, then give up.
  const deadline = Date.now() + (options.startupTimeoutMs ?? 60_000);
  for (;;) {
    try {
      await store.currentRevision();
      return store;
    } catch (err) {
      if (Date.now() >= deadline || !isStorageError(err, 'Unavailable')) {
        await store.close();
        throw err;
      }
      options.onWaiting?.(err as Error);
    }
  }
}
