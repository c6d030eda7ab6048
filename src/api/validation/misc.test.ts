import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, meta } from './testdata.js';
import { validate } from './index.js';
import { fieldErrorString } from './field-error.js';

test('namespaces, nodes and service accounts', () => {
  assert.deepEqual(check('', 'Namespace', { metadata: { name: 'dev' } }), []);
  assert.deepEqual(check('', 'Namespace', { metadata: { name: 'dev.x' } }), ['metadata.name: Invalid value: "dev.x": must not contain dots']);
  assert.deepEqual(check('', 'Namespace', { metadata: { name: 'dev', namespace: 'x' } }), ['metadata.namespace: Forbidden: not allowed on this type']);
  assert.deepEqual(check('', 'Node', { metadata: { name: 'n1.example' }, spec: { taints: [{ key: 'k', effect: '' }] } }), [
    'spec.taints[0].effect: Required value',
  ]);
  assert.deepEqual(check('', 'ServiceAccount', { metadata: meta('default') }), []);
});

test('persistent volumes and claims', () => {
  const pvc = (spec: Record<string, unknown>) => ({ metadata: meta('data'), spec });
  assert.deepEqual(check('', 'PersistentVolumeClaim', pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } })), []);
  assert.deepEqual(check('', 'PersistentVolumeClaim', pvc({})), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  assert.deepEqual(check('', 'PersistentVolumeClaim', pvc({ accessModes: ['ReadWriteAll'], resources: { requests: { storage: '0' } } })), [
    'spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.resources[storage]: Invalid value: "0": must be greater than zero',
  ]);
  const pv = { metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/data' } } };
  assert.deepEqual(check('', 'PersistentVolume', pv), []);
  assert.deepEqual(check('', 'PersistentVolume', { metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }), [
    'spec: Required value: must specify a volume type',
  ]);
});

test('rbac', () => {
  assert.deepEqual(check('rbac.authorization.k8s.io', 'Role', { metadata: meta('r'), rules: [{ apiGroups: [''], resources: ['pods'] }] }), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
  ]);
  assert.deepEqual(check('rbac.authorization.k8s.io', 'ClusterRole', { metadata: { name: 'a/b' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }), [
    "metadata.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
  const rb = (roleName: string) => ({
    metadata: meta('rb'),
    roleRef: { kind: 'Role', name: roleName },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
  });
  assert.deepEqual(check('rbac.authorization.k8s.io', 'RoleBinding', rb('r')), []);
  assert.deepEqual(check('rbac.authorization.k8s.io', 'RoleBinding', rb('other'), rb('r')), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
  ]);
  assert.deepEqual(
    check('rbac.authorization.k8s.io', 'ClusterRoleBinding', { metadata: { name: 'crb' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'x' }] }),
    ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"', 'subjects[0].namespace: Required value'],
  );
});

test('networking, scheduling, storage, discovery, coordination, events', () => {
  assert.deepEqual(check('networking.k8s.io', 'Ingress', { metadata: meta('i'), spec: {} }), [
    'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
  ]);
  const ing = {
    metadata: meta('i'),
    spec: { rules: [{ host: '10.0.0.1', http: { paths: [{ path: 'api', pathType: 'Prefix', backend: { service: { name: 'web' } } }] } }] },
  };
  assert.deepEqual(check('networking.k8s.io', 'Ingress', ing), [
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
    'spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
  ]);
  assert.deepEqual(check('networking.k8s.io', 'NetworkPolicy', { metadata: meta('np'), spec: { podSelector: {}, policyTypes: ['Sideways'] } }), [
    'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
  assert.deepEqual(check('scheduling.k8s.io', 'PriorityClass', { metadata: { name: 'high' }, value: 2000000000 }), [
    'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  ]);
  assert.deepEqual(check('scheduling.k8s.io', 'PriorityClass', { metadata: { name: 'system-x' }, value: 1 }), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class",
  ]);
  assert.deepEqual(check('storage.k8s.io', 'StorageClass', { metadata: { name: 'fast' } }), ['provisioner: Required value']);
  assert.deepEqual(
    check('storage.k8s.io', 'StorageClass', { metadata: { name: 'fast' }, provisioner: 'b.io/x' }, { metadata: { name: 'fast' }, provisioner: 'a.io/x' }),
    ['provisioner: Forbidden: updates to provisioner are forbidden.'],
  );
  assert.deepEqual(
    check('discovery.k8s.io', 'EndpointSlice', { metadata: meta('es'), addressType: 'IPv4', endpoints: [{ addresses: ['fe80::1'] }], ports: [{ port: 80 }] }),
    ['endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address'],
  );
  assert.deepEqual(check('coordination.k8s.io', 'Lease', { metadata: meta('l'), spec: { leaseDurationSeconds: 0 } }), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  assert.deepEqual(check('', 'Event', { metadata: meta('e'), involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } }), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
});

test('unknown kinds: metadata only when the scope is known', () => {
  const widget = { metadata: { name: 'Bad_Name' } };
  assert.deepEqual(validate('example.com', 'Widget', widget), []);
  assert.equal(validate('example.com', 'Widget', widget, undefined, { namespaced: false }).map(fieldErrorString).length, 1);
  assert.deepEqual(validate('', 'LimitRange', { metadata: { name: 'lr' } }).map(fieldErrorString), ['metadata.namespace: Required value']);
});
