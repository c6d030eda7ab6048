// Informer behaviour against a scripted lister-watcher.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { FakeClock } from '../util/clock.js';
import { ApiStatusError, ApiTransportError } from './errors.js';
import { deletedObject, isTombstone, SharedInformer, stripManagedFields, type DeletedFinalStateUnknown } from './informer.js';
import type { ListerWatcher } from './list-watch.js';
import type { ListResult } from './resource-client.js';
import type { WatchEvent, WatchHandle } from './watch.js';

const obj = (name: string, rv: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv }, ...extra });

class FakeWatch implements WatchHandle {
  done: Promise<void>;
  private settle!: (err?: unknown) => void;
  stopped = false;
  constructor(readonly opts: { resourceVersion?: string; timeoutSeconds?: number }, readonly emit: (e: WatchEvent) => void) {
    this.done = new Promise((resolve, reject) => (this.settle = (err) => (err ? reject(err) : resolve())));
  }
  stop() {
    this.stopped = true;
    this.settle();
  }
  end(err?: unknown) {
    this.settle(err);
  }
}

/** Hands out scripted list results and records watches; waits are promise-based, not timed. */
class FakeLW implements ListerWatcher {
  lists: (ListResult<KubeObject> | Error)[] = [];
  listCalls = 0;
  watches: FakeWatch[] = [];
  private waiters: { n: number; resolve: (w: FakeWatch) => void }[] = [];

  async list(): Promise<ListResult<KubeObject>> {
    this.listCalls++;
    const next = this.lists.shift();
    if (!next) throw new Error('no scripted list');
    if (next instanceof Error) throw next;
    return next;
  }

  async watch(opts: { resourceVersion?: string; timeoutSeconds?: number }, onEvent: (e: WatchEvent) => void): Promise<WatchHandle> {
    const w = new FakeWatch(opts, onEvent);
    this.watches.push(w);
    for (const x of this.waiters.filter((x) => x.n === this.watches.length)) x.resolve(w);
    return w;
  }

  /** Resolves with the n-th watch (1-based) once it has been opened. */
  nthWatch(n: number): Promise<FakeWatch> {
    if (this.watches.length >= n) return Promise.resolve(this.watches[n - 1]!);
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

function recorder() {
  const log: string[] = [];
  const tombstones: DeletedFinalStateUnknown<KubeObject>[] = [];
  return {
    log,
    tombstones,
    handler: {
      onAdd: (o: KubeObject) => log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
      onUpdate: (a: KubeObject, b: KubeObject) => log.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
      onDelete: (o: KubeObject | DeletedFinalStateUnknown<KubeObject>) => {
        if (isTombstone(o)) tombstones.push(o);
        log.push(`delete ${deletedObject(o).metadata.name}${isTombstone(o) ? ' (tombstone)' : ''}`);
      },
    },
  };
}

describe('SharedInformer', () => {
  it('lists, syncs, then applies watch events from the list resourceVersion', async () => {
    const lw = new FakeLW();
    lw.lists.push({ items: [obj('a', '5'), obj('b', '6')], resourceVersion: '10' });
    const inf = new SharedInformer(lw, { clock: new FakeClock(), random: () => 0, minWatchTimeoutSeconds: 300 });
    const r = recorder();
    inf.addEventHandler(r.handler);
    assert.equal(inf.hasSynced(), false);
    inf.run();
    await inf.waitForSync();
    assert.ok(inf.hasSynced());
    const w = await lw.nthWatch(1);
    assert.equal(w.opts.resourceVersion, '10');
    assert.equal(w.opts.timeoutSeconds, 300);
    w.emit({ type: 'MODIFIED', object: obj('a', '11') });
    w.emit({ type: 'ADDED', object: obj('c', '12') });
    w.emit({ type: 'DELETED', object: obj('b', '13') });
    w.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } });
    assert.deepEqual(r.log, ['add a@5', 'add b@6', 'update a 5->11', 'add c@12', 'delete b']);
    assert.deepEqual(inf.store.keys().sort(), ['ns/a', 'ns/c']);
    assert.equal(inf.lastSyncResourceVersion, '20');
    // A normal end (server-side timeout) rewatches from the bookmark.
    w.end();
    assert.equal((await lw.nthWatch(2)).opts.resourceVersion, '20');
    await inf.stop();
    assert.ok(lw.watches[1]!.stopped);
  });

  it('applies its transform to listed and watched objects before storing or handing them out', async () => {
    const lw = new FakeLW();
    const managed = { managedFields: [{ manager: 'kubectl', operation: 'Update' }] };
    const withMf = (name: string, rv: string): KubeObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv, ...managed } });
    lw.lists.push({ items: [withMf('a', '5')], resourceVersion: '10' });
    const inf = new SharedInformer(lw, { clock: new FakeClock(), random: () => 0, transform: stripManagedFields });
    const seen: KubeObject[] = [];
    inf.addEventHandler({ onAdd: (o) => seen.push(o), onUpdate: (_old, o) => seen.push(o) });
    inf.run();
    await inf.waitForSync();
    const w = await lw.nthWatch(1);
    w.emit({ type: 'MODIFIED', object: withMf('a', '11') });
    w.emit({ type: 'ADDED', object: withMf('b', '12') });
    assert.deepEqual(seen.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`), ['a@5', 'a@11', 'b@12']);
    for (const o of [...seen, ...inf.store.list()]) assert.equal(o.metadata.managedFields, undefined);
    await inf.stop();
  });

  it('relists on 410 Gone, reporting vanished objects as tombstones', async () => {
    const lw = new FakeLW();
    lw.lists.push({ items: [obj('a', '5'), obj('b', '6')], resourceVersion: '10' });
    lw.lists.push({ items: [obj('a', '30'), obj('d', '31')], resourceVersion: '40' });
    const inf = new SharedInformer(lw, { clock: new FakeClock() });
    const r = recorder();
    inf.addEventHandler(r.handler);
    inf.run();
    (await lw.nthWatch(1)).end(new ApiStatusError(410, 'Expired', 'too old resource version'));
    const w2 = await lw.nthWatch(2);
    assert.equal(lw.listCalls, 2);
    assert.equal(w2.opts.resourceVersion, '40');
    assert.deepEqual(r.log.slice(2), ['update a 5->30', 'add d@31', 'delete b (tombstone)']);
    assert.equal(r.tombstones[0]!.key, 'ns/b');
    assert.equal(r.tombstones[0]!.obj.metadata.resourceVersion, '6');
    await inf.stop();
  });

  it('rewatches after other errors with exponential backoff on its clock', async () => {
    const lw = new FakeLW();
    const clock = new FakeClock();
    const errors: unknown[] = [];
    lw.lists.push({ items: [], resourceVersion: '10' });
    const inf = new SharedInformer(lw, { clock, initialBackoffMs: 100, maxBackoffMs: 150, onError: (e) => errors.push(e) });
    inf.run();
    (await lw.nthWatch(1)).end(new ApiTransportError('connection reset'));
    await new Promise((r) => setImmediate(r));
    assert.equal(lw.watches.length, 1, 'waits for the backoff');
    clock.advance(99);
    await new Promise((r) => setImmediate(r));
    assert.equal(lw.watches.length, 1);
    clock.advance(1);
    const w2 = await lw.nthWatch(2);
    assert.equal(w2.opts.resourceVersion, '10');
    assert.equal(lw.listCalls, 1, 'no relist for a transport error');
    w2.end(new ApiTransportError('again'));
    await new Promise((r) => setImmediate(r));
    clock.advance(150); // doubled, capped at max
    await lw.nthWatch(3);
    assert.equal(errors.length, 2);
    await inf.stop();
  });

  it('retries a failed list, and a handler added after sync sees existing objects', async () => {
    const lw = new FakeLW();
    const clock = new FakeClock();
    lw.lists.push(new ApiTransportError('refused'), { items: [obj('a', '1')], resourceVersion: '2' });
    const inf = new SharedInformer(lw, { clock, initialBackoffMs: 50 });
    inf.run();
    await new Promise((r) => setImmediate(r));
    assert.equal(inf.hasSynced(), false);
    clock.advance(50);
    await inf.waitForSync();
    const r = recorder();
    inf.addEventHandler(r.handler);
    assert.deepEqual(r.log, ['add a@1']);
    await inf.stop();
  });

  it('resyncs every period, and handler failures do not stop delivery', async () => {
    const lw = new FakeLW();
    const clock = new FakeClock();
    const errors: unknown[] = [];
    lw.lists.push({ items: [obj('a', '1')], resourceVersion: '2' });
    const inf = new SharedInformer(lw, { clock, resyncPeriodMs: 1000, onError: (e) => errors.push(e) });
    inf.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
    const r = recorder();
    inf.addEventHandler(r.handler);
    inf.run();
    await inf.waitForSync();
    assert.equal(errors.length, 1);
    clock.advance(1000);
    clock.advance(1000);
    assert.deepEqual(r.log, ['add a@1', 'update a 1->1', 'update a 1->1']);
    await inf.stop();
  });

  it('supports indexers and stops a watch that goes silent past its deadline', async () => {
    const lw = new FakeLW();
    const clock = new FakeClock();
    lw.lists.push({ items: [obj('a', '1', { spec: { nodeName: 'n1' } })], resourceVersion: '2' });
    const inf = new SharedInformer(lw, { clock, random: () => 0, minWatchTimeoutSeconds: 10, indexers: { node: (o) => [(o.spec as { nodeName: string }).nodeName] } });
    inf.run();
    const w = await lw.nthWatch(1);
    assert.deepEqual(inf.store.byIndex('node', 'n1').map((o) => o.metadata.name), ['a']);
    await new Promise((r) => setImmediate(r)); // let the informer arm its watchdog
    clock.advance(10_000 + 30_000);
    assert.ok(w.stopped);
    await lw.nthWatch(2);
    await inf.stop();
  });
});
