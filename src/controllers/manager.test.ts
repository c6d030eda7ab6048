import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Lease, Node } from '../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { silentLogger } from '../util/log.js';
import { startControllerManager, type RunningControllerManager } from './manager.js';
import { scaled, TIME_SCALE } from '../testing/time-scale.js';

let cp: TestControlPlane;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
});

after(() => cp.stop());

// 2 s leases (whole seconds: the Lease field is an integer), stretched on a slow host where late renewals would lose them.
const LEASE_S = Math.ceil(2 * TIME_SCALE);
const FAST = { leaseDurationSeconds: LEASE_S, renewDeadlineSeconds: LEASE_S * 0.75, retryPeriodSeconds: LEASE_S / 8 };

function start(identity: string, releaseOnStop = true): Promise<RunningControllerManager> {
  return startControllerManager({
    kubeconfig: cp.server.kubeconfigPath,
    controllers: ['nodeipam'],
    options: { clusterCidr: '10.42.0.0/16' },
    leaderElect: true,
    identity,
    logger: silentLogger,
    leaderElection: { ...FAST, releaseOnStop },
  });
}

const holder = async () => ((await cp.client.leases.get('kube-system', 'kube-controller-manager')) as Lease).spec?.holderIdentity;
const podCidr = async (name: string) => ((await cp.client.nodes.get(undefined, name)) as Node).spec?.podCIDR;

test('only one manager leads; a standby takes over when the leader dies or stops', async () => {
  // cm-a does not release its Lease on stop: stopping it is a crash as far as the Lease goes.
  const a = await start('cm-a', false);
  const managers = [a];
  try {
    await waitFor(() => a.isLeader(), 10_000, 'cm-a leads');
    managers.push(await start('cm-b'), await start('cm-c'));
    // Several renew periods later cm-a still leads alone.
    const renewed = await waitFor(async () => {
      const l = await cp.client.leases.get('kube-system', 'kube-controller-manager');
      return l.spec?.renewTime !== undefined && Date.now() - Date.parse(l.spec.acquireTime!) > 1_000 ? l : undefined;
    }, 10_000, 'renewals');
    assert.equal(renewed.spec?.holderIdentity, 'cm-a');
    assert.deepEqual(managers.map((m) => m.isLeader()), [true, false, false]);
    await cp.client.nodes.create(undefined, { metadata: { name: 'n1' } });
    assert.ok(await waitFor(() => podCidr('n1'), 10_000, 'n1 podCIDR'));

    // The leader dies: a standby takes over once the Lease expires, well within 15 s.
    const t0 = Date.now();
    await a.stop();
    managers.shift();
    const second = await waitFor(() => managers.find((m) => m.isLeader()), 15_000, 'a new leader');
    assert.ok(Date.now() - t0 < scaled(15_000));
    assert.equal(await holder(), second.identity);
    assert.equal(managers.filter((m) => m.isLeader()).length, 1);
    await cp.client.nodes.create(undefined, { metadata: { name: 'n2' } });
    const n2 = await waitFor(() => podCidr('n2'), 10_000, 'n2 podCIDR');
    assert.notEqual(n2, await podCidr('n1'));

    // The new leader stops gracefully: it releases the Lease and the last one leads.
    const last = managers.find((m) => m !== second)!;
    await second.stop();
    managers.splice(managers.indexOf(second), 1);
    await waitFor(() => last.isLeader(), 15_000, 'the last manager leads');
    assert.equal(await holder(), last.identity);
  } finally {
    await Promise.all(managers.map((m) => m.stop()));
  }
});

test('without leader election the controllers run at once', async () => {
  const m = await startControllerManager({ client: cp.client, controllers: ['nodeipam'], leaderElect: false, logger: silentLogger, options: { clusterCidr: '10.77.0.0/16' } });
  try {
    assert.equal(m.isLeader(), true);
    await cp.client.nodes.create(undefined, { metadata: { name: 'solo' } });
    assert.match((await waitFor(() => podCidr('solo'), 10_000, 'solo podCIDR'))!, /^10\.77\./);
  } finally {
    await m.stop();
  }
});
