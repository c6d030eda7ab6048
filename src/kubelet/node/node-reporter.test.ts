import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestControlPlane } from '../../testing/control-plane.js';
import { KubeClient } from '../../client/client.js';
import { joinConfig } from '../../agent/join.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import type { Node } from '../../api/core-v1.js';
import type { Lease } from '../../client/types.js';
import { NodeReporter, STATUS_REPORT_MS } from './node-reporter.js';
import { mergeConditions, nodeResources, wantedConditions } from './node-status.js';
import type { MachineFacts, MachineUsage } from './machine.js';

const facts: MachineFacts = {
  cpus: 2, memoryBytes: 4 * 1024 ** 3, ephemeralStorageBytes: 100 * 1024 ** 3, machineID: 'abc', systemUUID: 'u', bootID: 'b',
  kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64',
};
const healthy: MachineUsage = { memoryAvailableBytes: 2 * 1024 ** 3, diskAvailableBytes: 50 * 1024 ** 3, diskCapacityBytes: 100 * 1024 ** 3, pidsInUse: 100, pidMax: 32768 };

test('allocatable keeps back the default hard-eviction thresholds', () => {
  const r = nodeResources(facts, 110);
  assert.equal(r.capacity.memory, `${4 * 1024 * 1024}Ki`);
  assert.equal(r.allocatable.memory, `${4 * 1024 * 1024 - 100 * 1024}Ki`);
  assert.equal(r.allocatable['ephemeral-storage'], String(Math.floor(100 * 1024 ** 3 * 0.9)));
  assert.equal(r.capacity.pods, '110');
});

test('conditions report pressure and keep their transition time while unchanged', () => {
  const first = mergeConditions(undefined, wantedConditions(healthy, { runtimeReady: true, networkReady: true }), 1_000_000);
  assert.deepEqual(first.map((c) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
  const later = mergeConditions(first, wantedConditions({ ...healthy, memoryAvailableBytes: 10 }, { runtimeReady: true, networkReady: false }), 2_000_000);
  const by = (t: string) => later.find((c) => c.type === t)!;
  assert.equal(by('MemoryPressure').status, 'True');
  assert.equal(by('MemoryPressure').lastTransitionTime, new Date(2_000_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  assert.equal(by('DiskPressure').lastTransitionTime, first[1]!.lastTransitionTime);
  assert.equal(by('Ready').status, 'False');
  assert.equal(by('Ready').reason, 'KubeletNotReady');
  assert.match(by('Ready').message!, /cni plugin not initialized/);
});

test('a node agent joins with the node token, registers, renews its lease and posts status', async (t) => {
  const cp = await startTestControlPlane();
  t.after(() => cp.stop());
  const cfg = await joinConfig(cp.server.url, cp.server.nodeToken);
  const client = KubeClient.fromConfig(cfg, { component: 'kubelet' });
  t.after(() => client.close());
  const clock = new FakeClock(Date.parse('2026-11-25T10:00:00Z'));
  let networkReady = false;
  const reporter = new NodeReporter({
    client, nodeName: 'node-a', nodeIP: '172.31.0.2', kubeletPort: 10250, maxPods: 110, facts,
    usage: () => healthy, health: () => ({ runtimeReady: true, networkReady }), runtimeVersion: () => 'containerd://1.6.20',
    clock, log: silentLogger,
  });
  const node = await reporter.register();
  assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'containerd://1.6.20');
  assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.33.0+kubets');
  assert.deepEqual(node.status?.addresses?.[0], { type: 'InternalIP', address: '172.31.0.2' });
  assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-a');
  assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');

  await reporter.renewLease();
  const lease = await cp.client.leases.get('kube-node-lease', 'node-a') as Lease;
  assert.equal((lease.spec as { holderIdentity?: string }).holderIdentity, 'node-a');
  assert.equal(lease.metadata.ownerReferences?.[0]?.uid, node.metadata.uid);
  clock.advance(10_000);
  await reporter.renewLease();
  const renewed = await cp.client.leases.get('kube-node-lease', 'node-a') as Lease;
  assert.equal((renewed.spec as { renewTime?: string }).renewTime, '2026-11-25T10:00:10.000000Z');

  // Unchanged status is not re-posted before the report period...
  const rv = (await cp.client.nodes.get(undefined, 'node-a')).metadata.resourceVersion;
  await reporter.postStatus(false);
  assert.equal((await cp.client.nodes.get(undefined, 'node-a')).metadata.resourceVersion, rv);
  // ...a change is, at once...
  networkReady = true;
  await reporter.postStatus(false);
  const ready = await cp.client.nodes.get(undefined, 'node-a') as unknown as Node;
  assert.equal(ready.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  // ...and the period forces a heartbeat.
  clock.advance(STATUS_REPORT_MS);
  await reporter.postStatus(false);
  const beat = await cp.client.nodes.get(undefined, 'node-a') as unknown as Node;
  assert.notEqual(beat.metadata.resourceVersion, ready.metadata.resourceVersion);

  // A node agent may not create workloads.
  await assert.rejects(client.deployments.create('default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} } as never), /forbidden/i);
});

test('joining fails clearly when the CA does not match the token', async (t) => {
  const cp = await startTestControlPlane();
  t.after(() => cp.stop());
  const wrong = cp.server.nodeToken.replace(/^K10[0-9a-f]{4}/, 'K100000');
  await assert.rejects(joinConfig(cp.server.url, wrong), /does not match the node token/);
  await assert.rejects(joinConfig(cp.server.url, 'nonsense'), /malformed/);
});
