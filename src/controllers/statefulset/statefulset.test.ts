import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { Pod } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { statefulSetController } from './index.js';
import type { StatefulSet } from './types.js';

let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void>;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  running = statefulSetController(cp.controllerContext()).run(stop.signal);
});
after(async () => {
  stop.abort();
  await running;
  await cp.stop();
});

const NS = 'default';

function sts(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...spec,
    },
  };
}

async function podNames(app: string): Promise<string[]> {
  const { items } = await cp.client.pods.list(NS, { labelSelector: `app=${app}` });
  return items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '').sort();
}

async function markReady(name: string): Promise<void> {
  const pod = await cp.client.pods.get(NS, name);
  const now = new Date().toISOString();
  await cp.client.pods.updateStatus({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } } as Pod);
}

const getSet = async (name: string) => (await cp.client.statefulsets.get(NS, name)) as StatefulSet;

describe('StatefulSet controller', () => {
  it('creates pods one at a time in order, with identity labels and claims', async () => {
    await cp.client.statefulsets.create(NS, sts('web', {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await waitFor(async () => (await podNames('web')).length === 1, 10_000, 'web-0');
    assert.deepEqual(await podNames('web'), ['web-0']);
    const web0 = await cp.client.pods.get(NS, 'web-0');
    assert.equal(web0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    const set = await getSet('web');
    assert.equal(web0.metadata.labels?.['controller-revision-hash'], set.status?.updateRevision);
    assert.equal(web0.spec?.hostname, 'web-0');
    assert.equal(web0.spec?.subdomain, 'web');
    // ServiceAccount admission adds the kube-api-access token volume besides the claim.
    assert.deepEqual((web0.spec?.volumes as { name: string }[] | undefined)?.filter((v) => !v.name.startsWith('kube-api-access-')), [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    const claim = await cp.client.persistentvolumeclaims.get(NS, 'data-web-0');
    assert.equal(claim.metadata.labels?.app, 'web');

    // web-1 only once web-0 is Running and Ready.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await podNames('web'), ['web-0']);
    await markReady('web-0');
    await waitFor(async () => (await podNames('web')).length === 2, 10_000, 'web-1');
    await markReady('web-1');
    await waitFor(async () => (await podNames('web')).length === 3, 10_000, 'web-2');
    await markReady('web-2');
    const done = await waitFor(async () => {
      const s = await getSet('web');
      return s.status?.readyReplicas === 3 && s.status.availableReplicas === 3 ? s : undefined;
    }, 10_000, 'status ready');
    assert.equal(done.status?.replicas, 3);
    assert.equal(done.status?.currentReplicas, 3);
    assert.equal(done.status?.updatedReplicas, 3);
    assert.equal(done.status?.currentRevision, done.status?.updateRevision);
    assert.equal(done.status?.observedGeneration, done.metadata.generation);
    const revs = await cp.client.controllerrevisions.list(NS);
    assert.equal(revs.items.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'web').length, 1);
  });

  it('rolls out a new template from the highest ordinal down, stopping at the partition', async () => {
    await cp.client.statefulsets.patch(NS, 'web', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
    const target = await waitFor(async () => {
      const s = await getSet('web');
      return s.status?.updateRevision && s.status.updateRevision !== s.status.currentRevision ? s : undefined;
    }, 10_000, 'new update revision');
    const updateRev = target.status!.updateRevision!;
    // web-2 is deleted and recreated at the new revision.
    const web2 = await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'web-2').catch(() => undefined);
      return p && p.metadata.labels?.['controller-revision-hash'] === updateRev ? p : undefined;
    }, 10_000, 'web-2 updated');
    assert.equal((web2.spec?.containers[0] as { image?: string }).image, 'nginx:2');
    await markReady('web-2');
    await waitFor(async () => (await cp.client.pods.get(NS, 'web-1').catch(() => undefined))?.metadata.labels?.['controller-revision-hash'] === updateRev, 10_000, 'web-1 updated');
    await markReady('web-1');
    const s = await waitFor(async () => {
      const x = await getSet('web');
      return x.status?.updatedReplicas === 2 && x.status.readyReplicas === 3 ? x : undefined;
    }, 10_000, 'two updated');
    // web-0 is below the partition: it keeps the old revision.
    const web0 = await cp.client.pods.get(NS, 'web-0');
    assert.notEqual(web0.metadata.labels?.['controller-revision-hash'], updateRev);
    assert.equal(s.status?.currentReplicas, 1);
  });

  it('scales down from the highest ordinal', async () => {
    await cp.client.statefulsets.patch(NS, 'web', { spec: { replicas: 1 } }, 'merge');
    await waitFor(async () => (await podNames('web')).join() === 'web-0', 10_000, 'scaled to 1');
    const s = await waitFor(async () => {
      const x = await getSet('web');
      return x.status?.replicas === 1 ? x : undefined;
    }, 10_000, 'status replicas 1');
    assert.equal(s.status?.readyReplicas, 1);
  });

  it('adopts an orphan pod with its name and labels instead of creating one', async () => {
    const orphan = await cp.client.pods.create(NS, { metadata: { name: 'adopt-0', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } as Pod);
    await cp.client.statefulsets.create(NS, sts('adopt', { replicas: 1 }));
    const adopted = await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'adopt-0');
      return p.metadata.ownerReferences?.[0]?.kind === 'StatefulSet' ? p : undefined;
    }, 10_000, 'adopted');
    assert.equal(adopted.metadata.uid, orphan.metadata.uid);
    assert.equal(adopted.metadata.ownerReferences?.[0]?.controller, true);
    // Once healthy it gets its identity labels back.
    await markReady('adopt-0');
    await waitFor(async () => (await cp.client.pods.get(NS, 'adopt-0').catch(() => undefined))?.metadata.labels?.['statefulset.kubernetes.io/pod-name'] === 'adopt-0', 10_000, 'identity restored');
  });

  it('creates every pod at once with Parallel, and recreates a failed pod', async () => {
    await cp.client.statefulsets.create(NS, sts('par', { podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }));
    await waitFor(async () => (await podNames('par')).length === 3, 10_000, 'three pods');
    const before = await cp.client.pods.get(NS, 'par-1');
    await cp.client.pods.updateStatus({ ...before, status: { phase: 'Failed' } } as Pod);
    await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'par-1').catch(() => undefined);
      return p && p.metadata.uid !== before.metadata.uid;
    }, 10_000, 'par-1 recreated');
    // OnDelete: a template change does not touch running pods.
    await cp.client.statefulsets.patch(NS, 'par', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:3' }] } } } }, 'strategic');
    await waitFor(async () => {
      const x = await getSet('par');
      return x.status?.updateRevision !== x.status?.currentRevision;
    }, 10_000, 'new revision');
    const p0 = await cp.client.pods.get(NS, 'par-0');
    assert.equal((p0.spec?.containers[0] as { image?: string }).image, 'nginx:1');
    await cp.client.pods.delete(NS, 'par-0');
    const fresh = await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'par-0').catch(() => undefined);
      return p && p.metadata.uid !== p0.metadata.uid ? p : undefined;
    }, 10_000, 'par-0 recreated');
    assert.equal((fresh.spec?.containers[0] as { image?: string }).image, 'nginx:3');
  });
});
