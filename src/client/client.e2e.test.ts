// The client against a real `kubets server` process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { KubeClient } from './client.js';
import { ApiStatusError, isAlreadyExists, isConflict, isGone, isNotFound } from './errors.js';
import { SharedInformerFactory } from './informer-factory.js';
import { isTombstone, SharedInformer, type DeletedFinalStateUnknown } from './informer.js';
import { LeaderElector } from './leader-election.js';
import { listWatchFor } from './list-watch.js';
import { RESOURCES } from './resources.js';
import type { WatchEvent } from './watch.js';
import { scaled, TIME_SCALE } from '../testing/time-scale.js';

/** Resolves when `pred` holds, checking after every event the caller reports via the returned poke. */
function waitFor(pred: () => boolean, what: string, ms = 5000): { poke: () => void; done: Promise<void> } {
  let poke = () => {};
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), scaled(ms));
    poke = () => {
      if (pred()) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
  poke();
  return { poke, done };
}

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): KubeObject => ({ metadata: { name, labels }, data });

describe('client against kubets server', () => {
  let server: ServerProcess;
  let client: KubeClient;
  before(async () => {
    server = await startServerProcess();
    client = KubeClient.fromKubeconfig(server.kubeconfig, { component: 'client-e2e' });
    await client.namespaces.create(undefined, { metadata: { name: 'e2e' } });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  it('creates, reads, lists by label, updates with optimistic concurrency and deletes', async () => {
    const cms = client.configmaps;
    const created = await cms.create('e2e', cm('one', { a: '1' }, { app: 'x' }));
    await cms.create('e2e', cm('two', {}, { app: 'y' }));
    await assert.rejects(cms.create('e2e', cm('one')), isAlreadyExists);
    assert.equal((await cms.get('e2e', 'one')).metadata.uid, created.metadata.uid);
    const listed = await cms.list('e2e', { labelSelector: 'app=x' });
    assert.deepEqual(listed.items.map((i) => i.metadata.name), ['one']);
    assert.match(listed.resourceVersion, /^\d+$/);
    const updated = await cms.update({ ...created, data: { a: '2' } });
    assert.deepEqual(updated.data, { a: '2' });
    await assert.rejects(cms.update({ ...created, data: { a: '3' } }), isConflict);
    await cms.delete('e2e', 'one');
    await assert.rejects(cms.get('e2e', 'one'), (e: unknown) => isNotFound(e) && (e as ApiStatusError).code === 404);
  });

  it('applies merge, strategic, JSON and server-side apply patches', async () => {
    const deps = client.deployments;
    const dep = {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }, { name: 'd', image: 'busybox' }] } } },
    };
    await deps.create('e2e', dep);
    const merged = await deps.patch('e2e', 'web', { metadata: { labels: { tier: 'fe' } } }, 'merge');
    assert.deepEqual(merged.metadata.labels, { app: 'web', tier: 'fe' });
    const strategic = await deps.patch('e2e', 'web', { spec: { template: { spec: { containers: [{ name: 'd', image: 'busybox:2' }] } } } }, 'strategic');
    assert.deepEqual(strategic.spec!.template.spec!.containers.map((c) => `${c.name}=${c.image}`), ['c=nginx', 'd=busybox:2']);
    const json = await deps.patch('e2e', 'web', [{ op: 'replace', path: '/spec/replicas', value: 3 }], 'json');
    assert.equal(json.spec!.replicas, 3);
    // The scale subresource speaks autoscaling/v1 Scale.
    const scale = await deps.getScale('e2e', 'web');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec?.replicas, 3);
    const rescaled = await deps.updateScale('e2e', 'web', { ...scale, spec: { replicas: 5 } });
    assert.equal(rescaled.spec?.replicas, 5);
    assert.equal((await deps.get('e2e', 'web')).spec!.replicas, 5);
  });

  it('server-side apply creates a missing object', async () => {
    const ssa = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { k: 'v' } };
    const applied = await client.configmaps.patch('e2e', 'ssa', ssa, 'apply', { fieldManager: 'e2e' });
    assert.deepEqual(applied.data, { k: 'v' });
    assert.equal((applied.metadata.managedFields as { manager?: string }[] | undefined)?.[0]?.manager, 'e2e');
  });

  it('binds and evicts pods, and mints service account tokens', async () => {
    await client.pods.create('e2e', { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await client.bind('e2e', 'p1', 'node-a');
    const bound = await client.pods.get('e2e', 'p1');
    assert.equal(bound.spec?.nodeName, 'node-a');
    await assert.rejects(client.bind('e2e', 'p1', 'node-b'), isConflict);
    await client.evict('e2e', 'p1', { gracePeriodSeconds: 0 });
    const gone = await client.pods.get('e2e', 'p1').then((p) => !!p.metadata.deletionTimestamp, (e: unknown) => isNotFound(e));
    assert.ok(gone, 'evicted pod is deleted or terminating');
    const token = await client.createToken('e2e', 'default', { expirationSeconds: 3600 });
    assert.equal(token.token.split('.').length, 3);
  });

  it('watches adds, updates and deletes from a resourceVersion, with bookmarks requested', async () => {
    const start = await client.configmaps.list('e2e');
    const events: WatchEvent[] = [];
    const w = waitFor(() => events.some((e) => e.type === 'DELETED'), 'the DELETED event');
    const h = await client.configmaps.watch('e2e', { resourceVersion: start.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 30 }, (e) => {
      events.push(e);
      w.poke();
    });
    const c = await client.configmaps.create('e2e', cm('watched', { v: '1' }));
    await client.configmaps.update({ ...c, data: { v: '2' } });
    await client.configmaps.delete('e2e', 'watched');
    await w.done;
    h.stop();
    await h.done;
    assert.deepEqual(
      events.filter((e) => e.object.metadata.name === 'watched').map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
  });

  it('a watch from a compacted resourceVersion ends with a typed 410', async () => {
    const h = await client.configmaps.watch('e2e', { resourceVersion: '1' }, () => {});
    await assert.rejects(h.done, isGone);
  });

  it('informers sync, index, share, and relist after a 410 with tombstones', async () => {
    await client.namespaces.create(undefined, { metadata: { name: 'inf' } });
    await client.configmaps.create('inf', cm('keep', {}, { team: 'a' }));
    await client.configmaps.create('inf', cm('vanish', {}, { team: 'a' }));
    // The first watch starts from "1" (long compacted) after deleting an object out of band, forcing a relist.
    const real = listWatchFor(client.configmaps, 'inf');
    let watches = 0;
    const inf = new SharedInformer<KubeObject>(
      {
        list: real.list,
        watch: async (opts, onEvent) => {
          if (++watches === 1) {
            await client.configmaps.delete('inf', 'vanish');
            return real.watch({ ...opts, resourceVersion: '1' }, onEvent);
          }
          return real.watch(opts, onEvent);
        },
      },
      { indexers: { team: (o) => (o.metadata.labels?.team ? [o.metadata.labels.team] : []) } },
    );
    const deletes: (KubeObject | DeletedFinalStateUnknown<KubeObject>)[] = [];
    const adds: string[] = [];
    const w = waitFor(() => deletes.length > 0 && adds.includes('late'), 'tombstone and late add', 10_000);
    inf.addEventHandler({
      onAdd: (o) => { adds.push(o.metadata.name!); w.poke(); },
      onDelete: (o) => { deletes.push(o); w.poke(); },
    });
    inf.run();
    await inf.waitForSync();
    assert.deepEqual(inf.store.byIndex('team', 'a').map((o) => o.metadata.name).sort(), ['keep', 'vanish']);
    // Wait for the relist (second watch), then make a change it must see.
    while (watches < 2) await new Promise((r) => setTimeout(r, 20));
    await client.configmaps.create('inf', cm('late', {}, { team: 'b' }));
    await w.done;
    assert.ok(isTombstone(deletes[0]!));
    assert.equal((deletes[0] as DeletedFinalStateUnknown<KubeObject>).key, 'inf/vanish');
    assert.deepEqual(inf.store.byIndex('team', 'b').map((o) => o.metadata.name), ['late']);
    assert.deepEqual(inf.store.byIndex('team', 'a').map((o) => o.metadata.name), ['keep']);
    await inf.stop();

    const factory = new SharedInformerFactory(client, { namespace: 'inf' });
    const a = factory.informer(RESOURCES.configmaps);
    assert.equal(factory.informer(RESOURCES.configmaps), a, 'one informer per resource');
    factory.start();
    await factory.waitForCacheSync();
    assert.ok(a.store.get('inf/keep') && a.store.get('inf/late') && !a.store.get('inf/vanish'));
    await factory.shutdown();
  });

  it('leader election: one leads; release hands over at once; a dead leader is replaced after the lease expires', async () => {
    const log: string[] = [];
    // 2 s, stretched on a slow host (whole seconds: the Lease field is an integer) so that a late retry cannot look like an expiry.
    const leaseS = Math.ceil(2 * TIME_SCALE);
    const make = (id: string, releaseOnStop: boolean) =>
      new LeaderElector({
        client,
        name: 'e2e-lock',
        identity: id,
        leaseDurationSeconds: leaseS,
        renewDeadlineSeconds: leaseS * 0.75,
        retryPeriodSeconds: leaseS * 0.1,
        releaseOnStop,
        onStartedLeading: () => log.push(`${id} started`),
        onStoppedLeading: () => log.push(`${id} stopped`),
      });
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise((r) => setTimeout(r, 20));
    };
    const a = make('a', true);
    const b = make('b', false); // b will "die": it never releases
    const c = make('c', true);
    const runs = [a.run()];
    await until(() => a.isLeader());
    runs.push(b.run());
    await new Promise((r) => setTimeout(r, leaseS * 300)); // b retries three times meanwhile
    assert.ok(a.isLeader() && !b.isLeader(), 'only one leads');
    let t = Date.now();
    await a.stop();
    await until(() => b.isLeader());
    assert.ok(Date.now() - t < leaseS * 750, 'a released: b took over before the lease would have expired');
    runs.push(c.run());
    await new Promise((r) => setTimeout(r, leaseS * 200));
    assert.ok(!c.isLeader());
    t = Date.now();
    await b.stop();
    assert.equal((await client.leases.get('kube-system', 'e2e-lock')).spec?.holderIdentity, 'b', 'the dead leader still holds the Lease');
    await until(() => c.isLeader());
    const waited = Date.now() - t;
    // Not before the lease expired; the upper bound only checks that c took over at all (an overloaded host once needed 4.2 s).
    assert.ok(waited >= leaseS * 500 && waited < leaseS * 7_500, `c took over once the lease expired (${waited} ms)`);
    const lease = await client.leases.get('kube-system', 'e2e-lock');
    assert.equal(lease.spec?.holderIdentity, 'c');
    assert.equal(lease.spec?.leaseTransitions, 2);
    await c.stop();
    await Promise.all(runs);
    assert.deepEqual(log, ['a started', 'a stopped', 'b started', 'b stopped', 'c started', 'c stopped']);
  });
});
