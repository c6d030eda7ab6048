import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storageContract, take } from './contract.js';
import { Etcd3, type IEvent } from 'etcd3';
import { openEtcdStorage } from './etcd.js';
import { ResumingWatch } from './etcd-watch.js';
import { isStorageError, type StorageErrorCode } from './errors.js';
import type { KeyValue, Storage, WatchEvent, Watcher } from './interface.js';
import { type EtcdCluster, startEtcdCluster } from './testing/etcd-harness.js';
import { scaled } from '../testing/time-scale.js';

const enc = (v: unknown) => Buffer.from(JSON.stringify(v));
let runs = 0;
const uniquePrefix = () => `/t${process.pid}-${runs++}`;

function isCode(code: StorageErrorCode) {
  return (err: unknown) => {
    assert.ok(isStorageError(err, code), `expected ${code}, got ${String(err)}`);
    return true;
  };
}

/** Starts a cluster in `before` and always stops it in `after`, even when tests fail. */
function withCluster(members: 1 | 3): () => EtcdCluster {
  let cluster: EtcdCluster | undefined;
  before(async () => {
    cluster = await startEtcdCluster({ members });
  });
  after(async () => {
    await cluster?.stop();
  });
  return () => {
    assert.ok(cluster, 'etcd cluster did not start');
    return cluster;
  };
}

describe('etcd, one member', () => {
  const cluster = withCluster(1);
  storageContract('etcd (1 member)', {
    open: () => openEtcdStorage({ endpoints: cluster().endpoints, prefix: uniquePrefix(), requestTimeoutMs: scaled(5000) }),
  });

  it('stores keys under the prefix, as upstream lays them out, and counts what remains of a list', async () => {
    const c = cluster();
    const store = await openEtcdStorage({ endpoints: c.endpoints });
    const client = new Etcd3({ hosts: c.endpoints });
    try {
      const kv = await store.create('/pods/default/web-0', enc({ metadata: { name: 'web-0' } }));
      for (const n of [1, 2, 3]) await store.create(`/pods/default/web-${n}`, enc({}));
      const raw = await client.kv.range({ key: Buffer.from('/registry/pods/default/web-0') });
      assert.equal(raw.kvs.length, 1);
      assert.equal(Number(raw.kvs[0]!.mod_revision), kv.modRevision);
      const page = await store.list('/pods/default', { limit: 1 });
      assert.deepEqual(page.items.map((i) => i.key), ['/pods/default/web-0']);
      assert.equal(page.remainingItemCount, 3);
      assert.ok(page.continue);
      const all = await store.list('/pods', { resourceVersion: '0' });
      assert.equal(all.items.length, 4);
      assert.ok(all.revision >= (await store.get('/pods/default/web-3')).modRevision);
    } finally {
      client.close();
      await store.close();
    }
  });

  it('answers a progress request with a revision that covers every delivered event', async () => {
    const client = new Etcd3({ hosts: cluster().endpoints });
    try {
      const start = Number((await client.kv.range({ key: Buffer.from('/pg') })).header.revision);
      const toEvent = (e: IEvent): WatchEvent => ({
        type: 'ADDED',
        kv: { key: e.kv.key.toString(), value: e.kv.value, modRevision: Number(e.kv.mod_revision), createRevision: 0 },
      });
      const w = new ResumingWatch(client, { key: Buffer.from('/pg/'), rangeEnd: Buffer.from('/pg0') }, start, toEvent, scaled(2000), () => {});
      await w.open();
      const put = await client.kv.put({ key: Buffer.from('/pg/a'), value: Buffer.from('x') });
      await client.kv.put({ key: Buffer.from('/other'), value: Buffer.from('y') }); // moves the revision, not the watch
      const answers: number[] = [];
      const answered = new Promise<number>((resolve) => {
        w.onProgress = (rev) => {
          answers.push(rev);
          resolve(rev);
        };
      });
      w.requestProgress();
      const rev = await withTimeout(answered, 5000);
      assert.ok(rev > Number(put.header.revision), `progress ${rev} should cover the unwatched write too`);
      const [e] = await take(w.channel, 1, 1000);
      assert.equal(e!.kv.modRevision, Number(put.header.revision));
      w.stop();
      assert.deepEqual(answers, [rev], 'one answer per request');
    } finally {
      client.close();
    }
  });
});

// The storage contract runs once, on one member: the client code is the same
// against three, and what three members add (a member dying) is tested here.
describe('etcd, three members', () => {
  const cluster = withCluster(3);

  it('keeps every acknowledged write, and the watch sees each once, when a member dies under load', async (t) => {
    const c = cluster();
    const store = await openEtcdStorage({ endpoints: c.endpoints, prefix: uniquePrefix(), requestTimeoutMs: scaled(5000) });
    try {
      const watch = await store.watch('/fo', { recursive: true });
      const acked = new Map<string, KeyValue>();
      const failures: unknown[] = [];
      let stop = false;
      let ackedAfterKill = 0;
      let killed = false;
      const writer = async (w: number) => {
        for (let n = 0; !stop; n++) {
          const key = `/fo/w${w}-${n}`;
          try {
            const kv = await store.create(key, enc({ key, pad: 'x'.repeat(200) }));
            acked.set(key, kv);
            if (killed) ackedAfterKill++;
          } catch (err) {
            failures.push(err);
          }
        }
      };
      const writers = Array.from({ length: 4 }, (_, i) => writer(i));
      await until(() => acked.size >= 150, 15_000, 'writes before the kill');
      const victim = await c.leaderIndex();
      const killedAt = Date.now();
      await c.members[victim]!.stop('SIGKILL');
      killed = true;
      await until(() => ackedAfterKill >= 1, 10_000, 'the first write after the kill');
      const window = Date.now() - killedAt;
      await until(() => ackedAfterKill >= 150, 20_000, 'writes after the kill');
      stop = true;
      await Promise.all(writers);

      t.diagnostic(`killed leader m${victim}: first ack after ${window} ms, ${failures.length} writes failed, ${acked.size} acknowledged`);
      for (const err of failures) assert.ok(isStorageError(err, 'Unavailable'), `unexpected failure: ${String(err)}`);
      const listed = new Map((await store.list('/fo')).items.map((kv) => [kv.key, kv]));
      for (const [key, kv] of acked) {
        const got = listed.get(key);
        assert.ok(got, `acknowledged ${key} is missing`);
        assert.equal(got.modRevision, kv.modRevision);
        assert.equal(JSON.parse(got.value.toString()).key, key);
      }
      const lastAcked = Math.max(...[...acked.values()].map((kv) => kv.modRevision));
      const events = await takeUntilRevision(watch, lastAcked);
      watch.stop();
      assertStrictlyIncreasing(events);
      const seen = new Map(events.map((e) => [e.kv.key, e]));
      assert.equal(seen.size, events.length, 'a key was delivered twice');
      for (const [key, kv] of acked) {
        const e = seen.get(key);
        assert.ok(e, `watch missed ${key}`);
        assert.equal(e.type, 'ADDED');
        assert.equal(e.kv.modRevision, kv.modRevision);
      }
    } finally {
      await store.close();
    }
  });
});

describe('etcd outage', () => {
  const cluster = withCluster(1);
  // The store's request timeout, which every refusal below must come within.
  const timeoutMs = scaled(1500);
  let store: Storage;
  before(async () => {
    store = await openEtcdStorage({ endpoints: cluster().endpoints, prefix: uniquePrefix(), requestTimeoutMs: timeoutMs });
  });
  after(async () => {
    await store?.close();
  });

  it('answers Unavailable within the timeout while etcd is frozen or down, then recovers, and the watch resumes', async () => {
    const member = cluster().members[0]!;
    const watch = await store.watch('/out', { recursive: true });
    const written: KeyValue[] = [];
    for (let i = 0; i < 3; i++) written.push(await store.create(`/out/a${i}`, enc({ i })));

    // Frozen: connections stay open but nothing answers.
    await member.stop('SIGSTOP');
    try {
      await Promise.all([
        timedRejection(store.get('/out/a0'), 'Unavailable', timeoutMs),
        // Outside the watched prefix: a frozen member may still apply this write once it thaws.
        timedRejection(store.create('/out-never/x', enc({})), 'Unavailable', timeoutMs),
      ]);
    } finally {
      await member.stop('SIGCONT');
    }
    written.push(await store.create('/out/b0', enc({})));

    // Down: the process is gone and comes back on the same data dir and ports.
    await member.stop('SIGKILL');
    await Promise.all([
      timedRejection(store.list('/out'), 'Unavailable', timeoutMs),
      timedRejection(store.currentRevision(), 'Unavailable', timeoutMs),
      timedRejection(store.watch('/out'), 'Unavailable', timeoutMs),
      timedRejection(store.delete('/out/a0'), 'Unavailable', timeoutMs),
    ]);
    await member.start();
    written.push(await store.create('/out/c0', enc({})));
    const kv = await store.get('/out/a1');
    written.push(await store.update('/out/a1', enc({ i: 1, v: 2 }), kv.modRevision));
    const deleted = await store.delete('/out/a2');
    assert.equal(JSON.parse(deleted.value.toString()).i, 2);

    const expected = [...written.map((w) => w.modRevision), deleted.modRevision];
    const events = await take(watch, expected.length);
    assert.deepEqual(events.map((e) => e.kv.modRevision), expected);
    assert.deepEqual(events.slice(-2).map((e) => e.type), ['MODIFIED', 'DELETED']);
    // Nothing duplicated is queued behind: the next event is the next write.
    const next = await store.create('/out/d0', enc({}));
    const [e] = await take(watch, 1);
    assert.equal(e!.kv.modRevision, next.modRevision);
    watch.stop();
  });

  it('fails a watch with Expired when it cannot resume because its history was compacted', async () => {
    const member = cluster().members[0]!;
    await store.create('/exp/a', enc({}));
    const watch = await store.watch('/exp/a');
    // Writes the watch does not match, then compaction past the revision it would resume from.
    let last = await store.create('/exp/other', enc({}));
    last = await store.update('/exp/other', enc({ v: 1 }), last.modRevision);
    await store.compact(last.modRevision);
    await store.compact(last.modRevision - 1); // below the current compaction: a no-op
    await store.compact(last.modRevision); // twice: a no-op
    await assert.rejects(store.compact(last.modRevision + 1000), isCode('TooLargeResourceVersion'));
    const it = watch[Symbol.asyncIterator]();
    await member.stop('SIGKILL');
    await member.start();
    await assert.rejects(withTimeout(it.next(), 10_000), isCode('Expired'));
  });

  it('opening waits for an etcd that is not up yet, and gives up at its start-up deadline', async () => {
    const member = cluster().members[0]!;
    await member.stop('SIGKILL');
    let waits = 0;
    let started: Promise<void> | undefined;
    // The member comes back only after a first try has failed, so opening must have waited.
    const late = await openEtcdStorage({
      endpoints: cluster().endpoints,
      prefix: uniquePrefix(),
      requestTimeoutMs: timeoutMs,
      startupTimeoutMs: scaled(120_000),
      onWaiting: () => {
        if (waits++ === 0) started = member.start();
      },
    });
    try {
      await started;
      assert.ok(waits >= 1);
      assert.equal((await late.create('/late/a', enc({}))).key, '/late/a');
    } finally {
      await late.close();
    }
    await member.stop('SIGKILL');
    try {
      const t0 = Date.now();
      await assert.rejects(openEtcdStorage({ endpoints: cluster().endpoints, requestTimeoutMs: 200, startupTimeoutMs: 600 }), isCode('Unavailable'));
      assert.ok(Date.now() - t0 >= 600, 'tried until its deadline');
    } finally {
      await member.start();
    }
  });
});

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + scaled(ms);
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20)); // polling a condition, not synchronising on time
  }
}

async function takeUntilRevision(w: Watcher, rev: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  while (out.length === 0 || out[out.length - 1]!.kv.modRevision < rev) out.push(...(await take(w, 1, 15_000)));
  return out;
}

function assertStrictlyIncreasing(events: WatchEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i]!.kv.modRevision > events[i - 1]!.kv.modRevision, `event ${i} out of order or duplicated`);
  }
}

async function timedRejection(p: Promise<unknown>, code: StorageErrorCode, timeoutMs: number): Promise<void> {
  const start = Date.now();
  await assert.rejects(p, isCode(code));
  const took = Date.now() - start;
  assert.ok(took <= timeoutMs + scaled(1000), `took ${took} ms, timeout is ${timeoutMs} ms`);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      const limit = scaled(ms);
      timer = setTimeout(() => reject(new Error(`timed out after ${limit} ms`)), limit);
    }),
  ]).finally(() => clearTimeout(timer));
}
