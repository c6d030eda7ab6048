import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { RESOURCES, type ResourceDescriptor } from '../../client/resources.js';
import { computeUsed, measureFor, podResource } from './usage.js';

const pod = (name: string, containers: { requests?: Record<string, string>; limits?: Record<string, string> }[], extra: Record<string, unknown> = {}, phase = 'Running'): KubeObject => ({
  metadata: { name },
  spec: { containers: containers.map((resources, i) => ({ name: `c${i}`, resources })), ...extra },
  status: { phase },
});

const objects = (by: Map<ResourceDescriptor, KubeObject[]>) => ({ list: (r: ResourceDescriptor) => by.get(r) ?? [] });

test('quota names map to measures', () => {
  assert.deepEqual(measureFor('count/deployments.apps'), { kind: 'count', resource: RESOURCES.deployments });
  assert.deepEqual(measureFor('count/configmaps'), { kind: 'count', resource: RESOURCES.configmaps });
  assert.deepEqual(measureFor('limits.memory'), { kind: 'pod-compute', field: 'limits', name: 'memory' });
  assert.deepEqual(measureFor('cpu'), { kind: 'pod-compute', field: 'requests', name: 'cpu' });
  assert.equal(measureFor('count/widgets.example.com'), undefined);
});

test('pod resources: containers summed, init containers as a floor, overhead added', () => {
  const p = pod('p', [{ requests: { cpu: '250m' } }, { requests: { cpu: '250m' } }], {
    initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }],
    overhead: { cpu: '100m' },
  });
  assert.equal(podResource(p, 'requests', 'cpu').nanos, 1_100_000_000n);
});

test('used counts live pods and sums compute; scopes narrow to pods', () => {
  const pods = [
    pod('a', [{ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } }]),
    pod('b', [{ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } }]),
    pod('best-effort', [{}]),
    pod('done', [{ requests: { cpu: '8' } }], {}, 'Succeeded'),
  ];
  const by = new Map<ResourceDescriptor, KubeObject[]>([
    [RESOURCES.pods, pods],
    [RESOURCES.configmaps, [{ metadata: { name: 'x' } }, { metadata: { name: 'y' } }]],
    [RESOURCES.services, [{ metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ nodePort: 30001 }, { nodePort: 30002 }] } }]],
  ]);
  const hard = { pods: '10', 'requests.cpu': '4', 'requests.memory': '1Gi', 'limits.cpu': '4', 'limits.memory': '1Gi', 'count/configmaps': '5', 'services.nodeports': '3', 'example.com/foo': '1' };
  assert.deepEqual(computeUsed(hard, [], objects(by)), {
    pods: '3',
    'requests.cpu': '750m',
    'requests.memory': '256Mi',
    'limits.cpu': '1500m',
    'limits.memory': '384Mi',
    'count/configmaps': '2',
    'services.nodeports': '2',
  });
  assert.deepEqual(computeUsed({ pods: '5', 'count/configmaps': '5' }, ['BestEffort'], objects(by)), { pods: '1' });
  // count/pods counts every stored pod; a pod stuck terminating past its grace period is not charged.
  assert.deepEqual(computeUsed({ 'count/pods': '9' }, [], objects(by)), { 'count/pods': '4' });
  const stuck = { ...pods[0]!, metadata: { name: 'stuck', deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } };
  const withStuck = objects(new Map([[RESOURCES.pods, [stuck]]]));
  assert.deepEqual(computeUsed({ pods: '9' }, [], withStuck, Date.parse('2024-01-01T00:00:29Z')), { pods: '1' });
  assert.deepEqual(computeUsed({ pods: '9' }, [], withStuck, Date.parse('2024-01-01T00:00:31Z')), { pods: '0' });
  assert.deepEqual(computeUsed({ pods: '5' }, ['NotBestEffort'], objects(by)), { pods: '2' });
});
