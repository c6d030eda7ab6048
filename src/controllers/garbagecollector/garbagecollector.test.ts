// The garbage collector against an in-process API server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { garbageCollectorController } from './controller.js';

const NS = 'gc-test';

describe('garbage collector', () => {
  let cp: TestControlPlane;
  const abort = new AbortController();
  let running: Promise<void>;
  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    await cp.client.namespaces.create(undefined, { metadata: { name: NS } });
    running = garbageCollectorController(cp.controllerContext()).run(abort.signal);
  });
  after(async () => {
    abort.abort();
    await running;
    await cp.stop();
  });

  const cm = (name: string, owners: OwnerReference[] = [], finalizers?: string[]) =>
    cp.client.configmaps.create(NS, { metadata: { name, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) }, data: {} });
  const refTo = (o: KubeObject, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) });
  const gone = async (name: string) => {
    try {
      await cp.client.configmaps.get(NS, name);
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  };

  it('deletes dependents whose owners are gone (background), and keeps those with another owner', async () => {
    const owner = await cm('bg-owner');
    const other = await cm('bg-other');
    await cm('bg-dep', [refTo(owner)]);
    await cm('bg-shared', [refTo(owner), refTo(other)]);
    await cp.client.configmaps.delete(NS, 'bg-owner', { propagationPolicy: 'Background' });
    await waitFor(() => gone('bg-dep'), 10_000, 'dependent deleted');
    const shared = await waitFor(async () => {
      const o = await cp.client.configmaps.get(NS, 'bg-shared');
      return o.metadata.ownerReferences?.length === 1 ? o : undefined;
    }, 10_000, 'dangling reference removed');
    assert.equal(shared.metadata.ownerReferences![0]!.uid, other.metadata.uid);
  });

  it('collects an object whose owner never existed', async () => {
    await cm('never', [{ apiVersion: 'v1', kind: 'Secret', name: 'nope', uid: '00000000-0000-0000-0000-000000000000' }]);
    await waitFor(() => gone('never'), 10_000, 'orphan of a missing owner deleted');
  });

  it("keeps a node's Lease while the Node exists and collects it once the Node is deleted", async () => {
    const node = await cp.client.nodes.create(undefined, { metadata: { name: 'gc-node' } });
    const ref: OwnerReference = { apiVersion: 'v1', kind: 'Node', name: 'gc-node', uid: node.metadata.uid! };
    await cp.client.leases.create('kube-node-lease', { metadata: { name: 'gc-node', ownerReferences: [ref] }, spec: { holderIdentity: 'gc-node' } });
    // Created after it, so queued after it: once this one is collected, the first has been looked at too.
    await cp.client.leases.create('kube-node-lease', { metadata: { name: 'gc-orphan', ownerReferences: [{ ...ref, name: 'gone', uid: '00000000-0000-0000-0000-000000000001' }] }, spec: {} });
    const leaseGone = async (name: string) => cp.client.leases.get('kube-node-lease', name).then(() => false, (err: unknown) => isNotFound(err));
    await waitFor(() => leaseGone('gc-orphan'), 10_000, 'the lease of a node that never existed collected');
    assert.equal(await leaseGone('gc-node'), false, 'the lease of an existing node stays');
    await cp.client.nodes.delete(undefined, 'gc-node');
    await waitFor(() => leaseGone('gc-node'), 10_000, "the deleted node's lease collected");
  });

  it('foreground: the owner stays until its blocking dependents are gone', async () => {
    const owner = await cm('fg-owner');
    await cm('fg-held', [refTo(owner, true)], ['example.com/hold']);
    await cm('fg-plain', [refTo(owner, true)]);
    await cp.client.configmaps.delete(NS, 'fg-owner', { propagationPolicy: 'Foreground' });
    await waitFor(() => gone('fg-plain'), 10_000, 'plain dependent deleted');
    const held = await waitFor(async () => {
      const o = await cp.client.configmaps.get(NS, 'fg-held');
      return o.metadata.deletionTimestamp ? o : undefined;
    }, 10_000, 'held dependent being deleted');
    const stillOwner = await cp.client.configmaps.get(NS, 'fg-owner');
    assert.ok(stillOwner.metadata.deletionTimestamp);
    assert.deepEqual(stillOwner.metadata.finalizers, ['foregroundDeletion']);
    await cp.client.configmaps.patch(NS, 'fg-held', { metadata: { finalizers: null } }, 'merge');
    assert.ok(held);
    await waitFor(async () => (await gone('fg-held')) && gone('fg-owner'), 10_000, 'owner deleted last');
  });

  it('foreground cascades through a Deployment, its ReplicaSet and its pods', async () => {
    const d = await cp.client.deployments.create(NS, {
      metadata: { name: 'chain' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'chain' } }, template: { metadata: { labels: { app: 'chain' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const own = (o: KubeObject, apiVersion: string, kind: string): OwnerReference[] => [{ apiVersion, kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    const rs = await cp.client.replicasets.create(NS, {
      metadata: { name: 'chain-1', labels: { app: 'chain' }, ownerReferences: own(d, 'apps/v1', 'Deployment') },
      spec: { replicas: 1, selector: { matchLabels: { app: 'chain' } }, template: { metadata: { labels: { app: 'chain' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    await cp.client.pods.create(NS, { metadata: { name: 'chain-1-a', labels: { app: 'chain' }, ownerReferences: own(rs, 'apps/v1', 'ReplicaSet') }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await cp.client.deployments.delete(NS, 'chain', { propagationPolicy: 'Foreground' });
    await waitFor(async () => {
      const left = await Promise.all([
        cp.client.pods.get(NS, 'chain-1-a').then(() => 1, () => 0),
        cp.client.replicasets.get(NS, 'chain-1').then(() => 1, () => 0),
        cp.client.deployments.get(NS, 'chain').then(() => 1, () => 0),
      ]);
      return left.every((n) => n === 0);
    }, 10_000, 'whole chain deleted');
  });

  it('orphan: dependents lose their reference and stay; the owner goes', async () => {
    const owner = await cm('or-owner');
    const other = await cm('or-other');
    await cm('or-dep', [refTo(owner, true)]);
    await cm('or-dep2', [refTo(owner), refTo(other)]);
    await cp.client.configmaps.delete(NS, 'or-owner', { propagationPolicy: 'Orphan' });
    await waitFor(() => gone('or-owner'), 10_000, 'owner deleted');
    assert.equal((await cp.client.configmaps.get(NS, 'or-dep')).metadata.ownerReferences, undefined);
    assert.deepEqual((await cp.client.configmaps.get(NS, 'or-dep2')).metadata.ownerReferences?.map((r) => r.uid), [other.metadata.uid]);
  });
});
