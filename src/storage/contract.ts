// One contract suite, run against every Storage backend (see *.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError, type StorageErrorCode } from './errors.js';
import type { KeyValue, Storage, WatchEvent, Watcher } from './interface.js';
import { scaled } from '../testing/time-scale.js';

export interface ContractHarness {
  /** A fresh, empty store. */
  open(): Promise<Storage>;
  teardown?(): Promise<void>;
}

const enc = (v: unknown) => Buffer.from(JSON.stringify(v));
const dec = (kv: KeyValue) => JSON.parse(kv.value.toString()) as Record<string, unknown>;

async function rejectsWith(p: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isStorageError(err, code), `expected ${code}, got ${String(err)}`);
    return true;
  });
}

/** Reads `n` events from a watcher, failing if they do not arrive within `ms`. */
export async function take(w: Watcher, n: number, ms = 10_000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const it = w[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${out.length}/${n} events`)), scaled(ms));
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([it.next(), timeout]);
      if (r.done) throw new Error(`watch ended after ${out.length}/${n} events`);
      out.push(r.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

export function storageContract(name: string, harness: ContractHarness): void {
  describe(`storage contract: ${name}`, () => {
    let store: Storage;
    before(async () => {
      store = await harness.open();
    });
    after(async () => {
      await store.close();
      await harness.teardown?.();
    });

    it('creates, gets, updates and deletes with revisions', async () => {
      const start = await store.currentRevision();
      const created = await store.create('/crud/a', enc({ n: 1 }));
      assert.ok(created.modRevision > start);
      assert.equal(created.createRevision, created.modRevision);
      const got = await store.get('/crud/a');
      assert.deepEqual(dec(got), { n: 1 });
      assert.equal(got.modRevision, created.modRevision);
      const updated = await store.update('/crud/a', enc({ n: 2 }), created.modRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.deepEqual(dec(await store.get('/crud/a')), { n: 2 });
      const deleted = await store.delete('/crud/a');
      assert.ok(deleted.modRevision > updated.modRevision);
      assert.deepEqual(dec(deleted), { n: 2 });
      assert.equal(await store.currentRevision(), deleted.modRevision);
      await rejectsWith(store.get('/crud/a'), 'NotFound');
      // A key can be created again after deletion, with a new createRevision.
      const again = await store.create('/crud/a', enc({ n: 3 }));
      assert.equal(again.createRevision, again.modRevision);
      assert.ok(again.modRevision > deleted.modRevision);
    });

    it('reports typed errors', async () => {
      const kv = await store.create('/errs/x', enc({ metadata: { uid: 'u1' } }));
      await rejectsWith(store.create('/errs/x', enc({})), 'AlreadyExists');
      await rejectsWith(store.get('/errs/missing'), 'NotFound');
      await rejectsWith(store.update('/errs/missing', enc({}), 1), 'NotFound');
      await rejectsWith(store.delete('/errs/missing'), 'NotFound');
      await rejectsWith(store.update('/errs/x', enc({}), kv.modRevision - 1), 'Conflict');
      await rejectsWith(store.delete('/errs/x', { uid: 'other' }), 'Conflict');
      await rejectsWith(store.delete('/errs/x', { resourceVersion: kv.modRevision + 1000 }), 'Conflict');
      assert.deepEqual(dec(await store.get('/errs/x')), { metadata: { uid: 'u1' } });
      await store.delete('/errs/x', { uid: 'u1', resourceVersion: kv.modRevision });
      await rejectsWith(store.get('/errs/x'), 'NotFound');
      await rejectsWith(store.list('/errs', { resourceVersion: 'abc' }), 'InvalidArgument');
      await rejectsWith(store.list('/errs', { continue: 'not-a-token' }), 'InvalidArgument');
    });

    it('keeps the count right under 20 concurrent compare-and-swap writers', async () => {
      await store.create('/cas/counter', enc({ n: 0 }));
      let successes = 0;
      let conflicts = 0;
      const writer = async () => {
        for (let i = 0; i < 10; i++) {
          const cur = await store.get('/cas/counter');
          try {
            await store.update('/cas/counter', enc({ n: (dec(cur).n as number) + 1 }), cur.modRevision);
            successes++;
          } catch (err) {
            if (!isStorageError(err, 'Conflict')) throw err;
            conflicts++;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, writer));
      assert.equal(successes + conflicts, 200);
      assert.equal(dec(await store.get('/cas/counter')).n, successes);
    });

    it('guaranteedUpdate retries until every increment lands', async () => {
      const bump = () =>
        store.guaranteedUpdate(
          '/gu/counter',
          (cur) => enc({ n: cur ? (dec(cur).n as number) + 1 : 1 }),
          { ignoreNotFound: true },
        );
      await Promise.all(Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 5; i++) await bump();
      }));
      assert.equal(dec(await store.get('/gu/counter')).n, 100);
      await rejectsWith(store.guaranteedUpdate('/gu/none', () => enc({})), 'NotFound');
      await rejectsWith(
        store.guaranteedUpdate('/gu/counter', () => enc({}), { preconditions: { resourceVersion: 1 } }),
        'Conflict',
      );
    });

    it('lists by prefix, counts, and reads snapshots at a revision', async () => {
      for (const k of ['a', 'b', 'c']) await store.create(`/ls/${k}`, enc({ k }));
      await store.create('/lsx/z', enc({ k: 'z' })); // shares the text prefix, not the path
      const before = await store.list('/ls');
      assert.deepEqual(before.items.map((i) => i.key), ['/ls/a', '/ls/b', '/ls/c']);
      assert.equal(await store.count('/ls'), 3);
      await store.delete('/ls/b');
      await store.update('/ls/a', enc({ k: 'a2' }), before.items[0]!.modRevision);
      const now = await store.list('/ls/');
      assert.deepEqual(now.items.map((i) => i.key), ['/ls/a', '/ls/c']);
      assert.equal(await store.count('/ls'), 2);
      const snap = await store.list('/ls', { resourceVersion: String(before.revision) });
      assert.equal(snap.revision, before.revision);
      assert.deepEqual(snap.items.map((i) => dec(i).k), ['a', 'b', 'c']);
      const any = await store.list('/ls', { resourceVersion: '0' });
      assert.deepEqual(any.items.map((i) => i.key), ['/ls/a', '/ls/c']);
      await rejectsWith(store.list('/ls', { resourceVersion: String(now.revision + 1000) }), 'TooLargeResourceVersion');
    });

    it('paginates consistently while writes go on', async () => {
      for (let i = 0; i < 30; i++) await store.create(`/page/k${String(i).padStart(2, '0')}`, enc({ i }));
      const expected = (await store.list('/page')).items.map((kv) => kv.key);
      let page = await store.list('/page', { limit: 7 });
      const seen = page.items.map((kv) => kv.key);
      let round = 0;
      while (page.continue) {
        // Writes between pages must not show up in, or vanish from, this list.
        await store.create(`/page/new${round}`, enc({}));
        await store.delete(`/page/k${String(round * 3).padStart(2, '0')}`);
        await store.create(`/page/a-early${round}`, enc({}));
        round++;
        page = await store.list('/page', { limit: 7, continue: page.continue });
        seen.push(...page.items.map((kv) => kv.key));
      }
      assert.equal(round, 4);
      assert.deepEqual(seen, expected);
    });

    it('a watch from revision N sees exactly the writes after N, in order', async () => {
      await store.create('/w/pre', enc({ v: 0 }));
      const from = await store.currentRevision();
      const a = await store.create('/w/a', enc({ v: 1 }));
      const a2 = await store.update('/w/a', enc({ v: 2 }), a.modRevision);
      await store.create('/wx/other', enc({})); // outside the prefix
      const w = await store.watch('/w', { revision: from, recursive: true });
      // Writes after the watch started arrive after the replayed ones.
      await store.delete('/w/a');
      await store.create('/w/b', enc({ v: 3 }));
      const events = await take(w, 4);
      w.stop();
      assert.deepEqual(
        events.map((e) => [e.type, e.kv.key]),
        [['ADDED', '/w/a'], ['MODIFIED', '/w/a'], ['DELETED', '/w/a'], ['ADDED', '/w/b']],
      );
      assert.equal(events[1]!.kv.modRevision, a2.modRevision);
      assert.deepEqual(dec(events[2]!.kv), { v: 2 }, 'DELETED carries the last value');
      const revs = events.map((e) => e.kv.modRevision);
      assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
      assert.ok(revs[0]! > from);
    });

    it('a watch on one key ignores its neighbours, and a watch from now sees only new writes', async () => {
      await store.create('/one/a', enc({}));
      const single = await store.watch('/one/a');
      const fromNow = await store.watch('/one', { recursive: true });
      await store.create('/one/ab', enc({}));
      const kv = await store.get('/one/a');
      await store.update('/one/a', enc({ x: 1 }), kv.modRevision);
      const [e] = await take(single, 1);
      assert.equal(e!.type, 'MODIFIED');
      assert.equal(e!.kv.key, '/one/a');
      const evs = await take(fromNow, 2);
      assert.deepEqual(evs.map((x) => x.kv.key), ['/one/ab', '/one/a']);
      single.stop();
      fromNow.stop();
    });

    it('answers a progress request after every event it has delivered', async () => {
      const w = await store.watch('/prog', { recursive: true });
      // Every backend offers it: the API server's watch cache relies on it for consistent lists.
      assert.ok(w.requestProgress, `${name} watchers must support requestProgress`);
      await store.create('/prog/a', enc({}));
      const b = await store.create('/prog/b', enc({}));
      w.requestProgress!();
      const evs = await take(w, 3);
      assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'ADDED', 'PROGRESS']);
      assert.ok(evs[2]!.kv.modRevision >= b.modRevision);
      w.stop();
    });

    it('restarts a dropped watch from the last revision seen, missing nothing', async () => {
      const from = await store.currentRevision();
      const w1 = await store.watch('/rs', { revision: from, recursive: true });
      for (let i = 0; i < 10; i++) await store.create(`/rs/${i}`, enc({ i }));
      const first = await take(w1, 4);
      w1.stop(); // the stream is dropped mid-way
      const last = first[first.length - 1]!.kv.modRevision;
      for (let i = 10; i < 15; i++) await store.create(`/rs/${i}`, enc({ i }));
      const w2 = await store.watch('/rs', { revision: last, recursive: true });
      const rest = await take(w2, 11);
      w2.stop();
      const all = [...first, ...rest].map((e) => dec(e.kv).i);
      assert.deepEqual(all, Array.from({ length: 15 }, (_, i) => i));
    });

    it('answers 410 Expired for compacted revisions and keeps live watches going', async () => {
      const kv = await store.create('/cmp/a', enc({ v: 0 }));
      const old = kv.modRevision;
      await store.create('/cmp/b', enc({}));
      const page = await store.list('/cmp', { limit: 1 });
      const live = await store.watch('/cmp', { recursive: true });
      let cur = kv;
      for (let i = 1; i <= 5; i++) cur = await store.update('/cmp/a', enc({ v: i }), cur.modRevision);
      await store.compact(cur.modRevision);
      await rejectsWith(store.list('/cmp', { resourceVersion: String(old) }), 'Expired');
      await rejectsWith(store.watch('/cmp', { revision: old, recursive: true }), 'Expired');
      assert.ok(page.continue);
      await rejectsWith(store.list('/cmp', { limit: 1, continue: page.continue }), 'Expired');
      // The latest value of every key survives compaction.
      assert.deepEqual(dec(await store.get('/cmp/a')), { v: 5 });
      assert.equal((await store.list('/cmp')).items.length, 2);
      // A watch that was keeping up is not broken by compaction.
      const after = await store.update('/cmp/a', enc({ v: 6 }), cur.modRevision);
      const evs = await take(live, 6);
      assert.deepEqual(evs.map((e) => e.kv.modRevision).slice(-1), [after.modRevision]);
      live.stop();
      // Watching from the compaction revision itself is still fine.
      const w = await store.watch('/cmp', { revision: cur.modRevision, recursive: true });
      const [e] = await take(w, 1);
      assert.equal(e!.kv.modRevision, after.modRevision);
      w.stop();
    });
  });
}
