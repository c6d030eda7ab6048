import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterRoleBindingPrinter, horizontalPodAutoscalerPrinter, podDisruptionBudgetPrinter, roleBindingPrinter } from './policy.js';
import { NOW, meta, units } from './testutil.js';

const { m, d } = units;
type O = Record<string, unknown>;

test('rolebinding and clusterrolebinding: ROLE and wide subjects', () => {
  assert.deepEqual(
    roleBindingPrinter.columns.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Role', 0],
      ['Age', 0],
      ['Users', 1],
      ['Groups', 1],
      ['ServiceAccounts', 1],
    ],
  );
  const rb: O = {
    metadata: meta('read-pods', m),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [
      { kind: 'User', name: 'jane' },
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' },
    ],
  };
  assert.deepEqual(roleBindingPrinter.cells(rb, NOW), ['read-pods', 'Role/pod-reader', '60s', 'jane, bob', 'devs', 'ci/builder']);
  const crb: O = { metadata: meta('cluster-admin', 30 * d), roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] };
  assert.deepEqual(clusterRoleBindingPrinter.cells(crb, NOW), ['cluster-admin', 'ClusterRole/cluster-admin', '30d', '', 'system:masters', '']);
});

test('poddisruptionbudget: MIN AVAILABLE / MAX UNAVAILABLE as int or percent, N/A when unset', () => {
  assert.deepEqual(podDisruptionBudgetPrinter.columns.map((c) => c.name), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
  assert.deepEqual(podDisruptionBudgetPrinter.cells({ metadata: meta('web', m), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, NOW), ['web', '2', 'N/A', 1, '60s']);
  assert.deepEqual(podDisruptionBudgetPrinter.cells({ metadata: meta('db', m), spec: { maxUnavailable: '25%' }, status: {} }, NOW), ['db', 'N/A', '25%', 0, '60s']);
});

test('horizontalpodautoscaler v2: TARGETS for resource, pods, object, external metrics', () => {
  assert.deepEqual(horizontalPodAutoscalerPrinter.columns.map((c) => c.name), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  const hpa: O = {
    metadata: meta('web', 2 * d),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
    status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 23, averageValue: '115m' } } }] },
  };
  assert.deepEqual(horizontalPodAutoscalerPrinter.cells(hpa, NOW), ['web', 'Deployment/web', 'cpu: 23%/50%', '1', 10, 2, '2d']);

  const unknown: O = { ...hpa, status: {} };
  assert.equal(horizontalPodAutoscalerPrinter.cells(unknown, NOW)[2], 'cpu: <unknown>/50%');

  const multi: O = {
    metadata: meta('multi', m),
    spec: {
      scaleTargetRef: { kind: 'StatefulSet', name: 'db' },
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
      ],
    },
    status: {
      currentMetrics: [
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '268435456' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '1500m' } } },
      ],
    },
  };
  assert.deepEqual(horizontalPodAutoscalerPrinter.cells(multi, NOW).slice(1, 6), ['StatefulSet/db', 'memory: 268435456/512Mi, 1500m/1k + 1 more...', '<unset>', 5, 0]);

  const obj: O = {
    metadata: meta('o', m),
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'w' },
      maxReplicas: 3,
      metrics: [
        { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization' } } },
      ],
    },
    status: { currentMetrics: [{ type: 'Object', object: { current: { averageValue: '4' } } }] },
  };
  assert.equal(horizontalPodAutoscalerPrinter.cells(obj, NOW)[2], '4/10 (avg), cpu: <unknown>/<auto>');
  assert.equal(horizontalPodAutoscalerPrinter.cells({ metadata: meta('none', m), spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 1 } }, NOW)[2], '<none>');
});

test('horizontalpodautoscaler autoscaling/v1 object: CPU percentage target', () => {
  const v1: O = {
    metadata: meta('web', m),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 80 },
    status: { currentReplicas: 2, currentCPUUtilizationPercentage: 12 },
  };
  assert.deepEqual(horizontalPodAutoscalerPrinter.cells(v1, NOW), ['web', 'Deployment/web', 'cpu: 12%/80%', '2', 4, 2, '60s']);
});
