import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLease, buildNode, SIM_KUBELET_VERSION } from './node-object.js';

const shape = { name: 'sim-node-3', index: 3, cpu: '32', memory: '256Gi', pods: 110, ephemeralStorage: '100Gi' };

test('buildNode carries the labels, resources, conditions and info a kubelet registers', () => {
  const node = buildNode(shape, Date.parse('2026-01-02T03:04:05.678Z'));
  assert.equal(node.metadata.labels!['kubernetes.io/hostname'], 'sim-node-3');
  assert.equal(node.metadata.labels!.type, 'kwok');
  const st = node.status as unknown as {
    capacity: unknown; allocatable: unknown; addresses: unknown; nodeInfo: Record<string, string>;
    conditions: { type: string; status: string; lastHeartbeatTime: string }[];
  };
  assert.deepEqual(st.capacity, { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi' });
  assert.deepEqual(st.allocatable, st.capacity);
  assert.deepEqual(st.conditions.map((c) => `${c.type}=${c.status}`), [
    'MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True',
  ]);
  assert.equal(st.conditions[3].lastHeartbeatTime, '2026-01-02T03:04:05Z');
  assert.deepEqual(st.addresses, [{ type: 'InternalIP', address: '10.244.0.4' }, { type: 'Hostname', address: 'sim-node-3' }]);
  assert.equal(st.nodeInfo.kubeletVersion, SIM_KUBELET_VERSION);
  assert.equal(st.nodeInfo.containerRuntimeVersion, 'kubets-sim://1.0');
  assert.match(st.nodeInfo.machineID, /^[0-9a-f]{32}$/);
  assert.notEqual(buildNode({ ...shape, name: 'other' }, 0).status!.nodeInfo, st.nodeInfo);
});

test('buildLease owns the lease by the node and uses MicroTime', () => {
  const lease = buildLease('sim-node-3', 'uid-1', Date.parse('2026-01-02T03:04:05.678Z'));
  assert.equal(lease.metadata.namespace, 'kube-node-lease');
  assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'sim-node-3', uid: 'uid-1' }]);
  assert.equal(lease.spec!.renewTime, '2026-01-02T03:04:05.678000Z');
  assert.equal(lease.spec!.leaseDurationSeconds, 40);
  assert.equal(buildLease('n', undefined, 0).metadata.ownerReferences, undefined);
});
