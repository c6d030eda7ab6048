import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionTaints, reconcileTaints, tolerates, tolerationWindowMs, type Taint } from './taints.js';
import { healthDeadline, unknownConditions } from './node-health.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' };
const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

test('toleration matching: key, value, effect and Exists wildcards', () => {
  assert.equal(tolerates({ operator: 'Exists' }, unreachable), true);
  assert.equal(tolerates({ key: unreachable.key, operator: 'Exists', effect: 'NoSchedule' }, unreachable), false);
  assert.equal(tolerates({ key: 'k', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'v', effect: 'NoExecute' }), true);
  assert.equal(tolerates({ key: 'k', operator: 'Equal', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' }), false);
  assert.equal(tolerates({ key: '', operator: 'Equal' }, unreachable), false);
});

test('toleration window: untolerated → now, no seconds → forever, else the minimum', () => {
  assert.equal(tolerationWindowMs([], [unreachable]), 0);
  assert.equal(tolerationWindowMs([{ key: unreachable.key, operator: 'Exists' }], [unreachable]), undefined);
  assert.equal(tolerationWindowMs([{ operator: 'Exists', tolerationSeconds: 30 }], [unreachable, notReady]), 30_000);
  assert.equal(
    tolerationWindowMs([{ key: unreachable.key, operator: 'Exists', tolerationSeconds: 300 }, { key: notReady.key, operator: 'Exists', tolerationSeconds: 20 }], [unreachable, notReady]),
    20_000,
  );
  assert.equal(tolerationWindowMs([{ key: unreachable.key, operator: 'Exists', tolerationSeconds: 300 }], [unreachable, notReady]), 0);
  assert.equal(tolerationWindowMs([{ operator: 'Exists', tolerationSeconds: -1 }], [unreachable]), 0);
  assert.equal(tolerationWindowMs([], []), undefined);
});

test('condition taints and their reconciliation keep foreign taints and timeAdded', () => {
  const node = { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }, { type: 'MemoryPressure', status: 'True' }] } };
  const wanted = conditionTaints(node);
  assert.deepEqual(wanted.map((t) => `${t.key}:${t.effect}`).sort(), [
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/unreachable:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  const foreign: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const now = '2024-02-02T00:00:00Z';
  const next = reconcileTaints([foreign, unreachable, notReady], wanted, now)!;
  assert.deepEqual(next.slice(0, 2), [foreign, unreachable]);
  assert.ok(!next.some((t) => t.key === notReady.key));
  assert.equal(next.filter((t) => t.effect === 'NoSchedule').every((t) => t.timeAdded === undefined), true);
  assert.equal(reconcileTaints(next, wanted, now), undefined);
  assert.deepEqual(reconcileTaints(next, [], now), [foreign]);
  assert.deepEqual(reconcileTaints([foreign], [notReady], now), [foreign, { ...notReady, timeAdded: now }]);
});

test('health deadline from the lease or heartbeat; Unknown conditions', () => {
  const node = {
    metadata: { name: 'n', creationTimestamp: '2024-01-01T00:00:00Z' },
    status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:01:00Z' }, { type: 'NetworkUnavailable', status: 'False' }] },
  };
  const lease = { metadata: { name: 'n' }, spec: { renewTime: '2024-01-01T00:02:00.000000Z' } };
  assert.equal(healthDeadline(node, lease, 40_000, 60_000), Date.parse('2024-01-01T00:02:40Z'));
  assert.equal(healthDeadline(node, undefined, 40_000, 60_000), Date.parse('2024-01-01T00:01:40Z'));
  assert.equal(healthDeadline({ metadata: node.metadata }, undefined, 40_000, 60_000), Date.parse('2024-01-01T00:01:00Z'));
  const cs = unknownConditions(node, '2024-01-01T00:03:00Z')!;
  assert.deepEqual(cs[0], {
    type: 'Ready',
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    lastHeartbeatTime: '2024-01-01T00:01:00Z',
    lastTransitionTime: '2024-01-01T00:03:00Z',
  });
  assert.deepEqual(cs[1], { type: 'NetworkUnavailable', status: 'False' });
  assert.equal(unknownConditions({ ...node, status: { conditions: cs } }, 'x'), undefined);
  assert.equal(unknownConditions({ metadata: node.metadata }, 'x')![0]!.reason, 'NodeStatusNeverUpdated');
});
