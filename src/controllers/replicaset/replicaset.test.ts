// The ReplicaSet controller against an in-process API server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { controllerRef } from '../../api/meta.js';
import type { Pod, ReplicaSet } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { scaledSeconds } from '../../testing/time-scale.js';
import { waitFor } from '../../testing/wait-for.js';
import { replicaSetController } from './controller.js';

const NS = 'rs-test';

function replicaSet(name: string, replicas: number, labels: Record<string, string>): ReplicaSet {
  return {
    metadata: { name, namespace: NS },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

/** Marks a pod Running and Ready (there is no kubelet in these tests). */
async function makeReady(cp: TestControlPlane, pod: Pod): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await cp.client.pods.updateStatus({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
}

describe('ReplicaSet controller', () => {
  let cp: TestControlPlane;
  const abort = new AbortController();
  let running: Promise<void>;
  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    await cp.client.namespaces.create(undefined, { metadata: { name: NS } });
    running = replicaSetController(cp.controllerContext()).run(abort.signal);
  });
  after(async () => {
    abort.abort();
    await running;
    await cp.stop();
  });

  const podsOf = async (app: string) => (await cp.client.pods.list(NS, { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);

  it('creates the pods with a controller reference and reports status', async () => {
    const rs = await cp.client.replicasets.create(NS, replicaSet('web', 3, { app: 'web' }));
    const pods = await waitFor(async () => ((await podsOf('web')).length === 3 ? podsOf('web') : undefined), 10_000, '3 pods');
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(controllerRef(p), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true });
    }
    const st = await waitFor(async () => {
      const cur = await cp.client.replicasets.get(NS, 'web');
      return cur.status?.replicas === 3 && cur.status.fullyLabeledReplicas === 3 && cur.status.observedGeneration === cur.metadata.generation ? cur.status : undefined;
    }, 10_000, 'status');
    assert.equal(st.readyReplicas, undefined);

    await makeReady(cp, pods[0]!);
    await makeReady(cp, pods[1]!);
    await waitFor(async () => (await cp.client.replicasets.get(NS, 'web')).status?.availableReplicas === 2, 10_000, '2 available');

    // Scale to 1: the pending, unready pod goes first, then one of the ready ones.
    await cp.client.replicasets.patch(NS, 'web', { spec: { replicas: 1 } }, 'merge');
    const left = await waitFor(async () => {
      const ps = await podsOf('web');
      return ps.length === 1 ? ps : undefined;
    }, 10_000, 'scale down to 1');
    assert.ok([pods[0]!.metadata.name, pods[1]!.metadata.name].includes(left[0]!.metadata.name));
    await waitFor(async () => {
      const s = (await cp.client.replicasets.get(NS, 'web')).status;
      return s?.replicas === 1 && s.readyReplicas === 1;
    }, 10_000, 'status after scale down');
  });

  it('adopts matching orphans instead of creating, and releases pods it no longer selects', async () => {
    const orphan = await cp.client.pods.create(NS, { metadata: { name: 'stray', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const rs = await cp.client.replicasets.create(NS, replicaSet('api', 2, { app: 'api' }));
    await waitFor(async () => (await podsOf('api')).length === 2 && (await podsOf('api')).every((p) => controllerRef(p)?.uid === rs.metadata.uid), 10_000, 'adoption');
    const names = (await podsOf('api')).map((p) => p.metadata.name);
    assert.ok(names.includes('stray'));
    assert.equal(names.length, 2);

    // Relabel the adopted pod: the ReplicaSet lets it go and makes a replacement.
    await cp.client.pods.patch(NS, 'stray', { metadata: { labels: { app: 'other' } } }, 'merge');
    await waitFor(async () => !(await cp.client.pods.get(NS, 'stray')).metadata.ownerReferences?.length, 10_000, 'release');
    await waitFor(async () => (await podsOf('api')).length === 2 && !(await podsOf('api')).some((p) => p.metadata.name === 'stray'), 10_000, 'replacement');
    assert.equal((await cp.client.pods.get(NS, 'stray')).metadata.uid, orphan.metadata.uid);
  });

  it('counts a ready pod as available only after minReadySeconds, without further events', async () => {
    const rs = replicaSet('slow', 1, { app: 'slow' });
    // 2 s, stretched on a slow host: the test must see the pod ready before that time has passed.
    const minReady = scaledSeconds(2);
    rs.spec!.minReadySeconds = minReady;
    await cp.client.replicasets.create(NS, rs);
    const [pod] = await waitFor(async () => ((await podsOf('slow')).length === 1 ? podsOf('slow') : undefined), 10_000, 'pod');
    await makeReady(cp, pod!);
    await waitFor(async () => (await cp.client.replicasets.get(NS, 'slow')).status?.readyReplicas === 1, 10_000, 'ready');
    assert.equal((await cp.client.replicasets.get(NS, 'slow')).status?.availableReplicas, undefined);
    await waitFor(async () => (await cp.client.replicasets.get(NS, 'slow')).status?.availableReplicas === 1, 10_000, 'available');
    // Ready since a whole second (status times have second precision): available strictly after minReadySeconds.
    const since = Date.parse((await cp.client.pods.get(NS, pod!.metadata.name!)).status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!);
    assert.ok(Date.now() > since + minReady * 1000);
  });

  it('replaces a deleted pod', async () => {
    await cp.client.replicasets.create(NS, replicaSet('db', 2, { app: 'db' }));
    const pods = await waitFor(async () => ((await podsOf('db')).length === 2 ? podsOf('db') : undefined), 10_000, '2 pods');
    await cp.client.pods.delete(NS, pods[0]!.metadata.name!);
    await waitFor(async () => {
      const ps = await podsOf('db');
      return ps.length === 2 && !ps.some((p) => p.metadata.name === pods[0]!.metadata.name);
    }, 10_000, 'replacement');
  });
});
