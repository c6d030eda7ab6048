import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalQuantity } from './quantity.js';
import {
  configMapPrinter,
  csiDriverPrinter,
  csiNodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
} from './storage.js';
import { NOW, ago, meta, units } from './testutil.js';

const { s, m, d } = units;
type O = Record<string, unknown>;

test('canonicalQuantity prints what Quantity.String() prints', () => {
  const cases: [unknown, string][] = [
    ['10Gi', '10Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['2048Ki', '2Mi'],
    ['500M', '500M'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['0.5', '500m'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['0', '0'],
    ['512', '512'],
    [2, '2'],
    [undefined, '0'],
    ['1e3', '1e3'],
  ];
  for (const [q, want] of cases) assert.equal(canonicalQuantity(q), want, `canonicalQuantity(${String(q)})`);
});

test('configmap DATA counts data and binaryData; secret TYPE DATA; serviceaccount SECRETS', () => {
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('kube-root-ca.crt', 2 * d), data: { 'ca.crt': 'x' }, binaryData: { b: 'AA==' } }, NOW), ['kube-root-ca.crt', 2, '2d']);
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('empty', m) }, NOW), ['empty', 0, '60s']);
  assert.deepEqual(secretPrinter.columns.map((c) => c.name), ['Name', 'Type', 'Data', 'Age']);
  assert.deepEqual(secretPrinter.cells({ metadata: meta('tls', m), type: 'kubernetes.io/tls', data: { 'tls.crt': 'a', 'tls.key': 'b' } }, NOW), ['tls', 'kubernetes.io/tls', 2, '60s']);
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: meta('default', d) }, NOW), ['default', 0, '24h']);
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: meta('old', d), secrets: [{ name: 'old-token' }] }, NOW)[1], 1);
});

test('persistentvolume: all columns', () => {
  assert.deepEqual(
    persistentVolumePrinter.columns.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Capacity', 0],
      ['Access Modes', 0],
      ['Reclaim Policy', 0],
      ['Status', 0],
      ['Claim', 0],
      ['StorageClass', 0],
      ['VolumeAttributesClass', 0],
      ['Reason', 0],
      ['Age', 0],
      ['VolumeMode', 1],
    ],
  );
  const pv: O = {
    metadata: meta('pvc-1234', 3 * d),
    spec: {
      capacity: { storage: '1024Mi' },
      accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      claimRef: { namespace: 'default', name: 'data' },
      storageClassName: 'local-path',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(persistentVolumePrinter.cells(pv, NOW), ['pvc-1234', '1Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'local-path', '<unset>', '', '3d', 'Filesystem']);
  const released: O = {
    metadata: meta('old', m, { annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' }, deletionTimestamp: ago(s) }),
    spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOncePod'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'fast', volumeAttributesClassName: 'gold' },
    status: { phase: 'Released', reason: 'x' },
  };
  assert.deepEqual(persistentVolumePrinter.cells(released, NOW), ['old', '5Gi', 'RWOP', 'Retain', 'Terminating', '', 'slow', 'gold', 'x', '60s', '<unset>']);
});

test('persistentvolumeclaim: bound and pending', () => {
  assert.deepEqual(persistentVolumeClaimPrinter.columns.map((c) => c.name), [
    'Name',
    'Status',
    'Volume',
    'Capacity',
    'Access Modes',
    'StorageClass',
    'VolumeAttributesClass',
    'Age',
    'VolumeMode',
  ]);
  const bound: O = {
    metadata: meta('data', 3 * d),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', volumeName: 'pvc-1234', volumeMode: 'Filesystem' },
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
  };
  assert.deepEqual(persistentVolumeClaimPrinter.cells(bound, NOW), ['data', 'Bound', 'pvc-1234', '1Gi', 'RWO', 'local-path', '<unset>', '3d', 'Filesystem']);
  const pending: O = { metadata: meta('wait', m), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } };
  assert.deepEqual(persistentVolumeClaimPrinter.cells(pending, NOW), ['wait', 'Pending', '', '', '', '', '<unset>', '60s', '<unset>']);
});

test('storageclass: (default) marker and defaults for unset fields', () => {
  assert.deepEqual(storageClassPrinter.columns.map((c) => c.name), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
  const sc: O = {
    metadata: meta('local-path', 9 * d, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  assert.deepEqual(storageClassPrinter.cells(sc, NOW), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '9d']);
  const plain: O = { metadata: meta('fast', m, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } }), provisioner: 'csi.example.com', allowVolumeExpansion: true };
  assert.deepEqual(storageClassPrinter.cells(plain, NOW), ['fast', 'csi.example.com', 'Delete', 'Immediate', true, '60s']);
});

test('resourcequota: REQUEST and LIMIT columns sorted by resource', () => {
  const rq: O = {
    metadata: meta('compute', m),
    status: {
      hard: { 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi' },
      used: { 'requests.cpu': '500m', pods: '3', 'limits.memory': '1024Mi', 'requests.memory': '0' },
    },
  };
  assert.deepEqual(resourceQuotaPrinter.cells(rq, NOW), [
    'compute',
    'pods: 3/10, requests.cpu: 500m/1, requests.memory: 0/1Gi',
    'limits.cpu: 0/2, limits.memory: 1Gi/2Gi',
    '60s',
  ]);
  assert.deepEqual(resourceQuotaPrinter.cells({ metadata: meta('new', m), spec: { hard: { pods: '1' } } }, NOW), ['new', '', '', '60s']);
});

test('csidriver, csinode, volumeattachment', () => {
  const drv: O = { metadata: meta('csi.example.com', m), spec: { attachRequired: false, volumeLifecycleModes: ['Persistent', 'Ephemeral'], tokenRequests: [{ audience: 'vault' }] } };
  assert.deepEqual(csiDriverPrinter.cells(drv, NOW), ['csi.example.com', false, false, false, 'vault', false, 'Persistent,Ephemeral', '60s']);
  assert.deepEqual(csiDriverPrinter.cells({ metadata: meta('d', m), spec: {} }, NOW), ['d', true, false, false, '<unset>', false, '<none>', '60s']);
  assert.deepEqual(csiNodePrinter.cells({ metadata: meta('n1', m), spec: { drivers: [{ name: 'a' }] } }, NOW), ['n1', 1, '60s']);
  const va: O = { metadata: meta('csi-abc', m), spec: { attacher: 'csi.example.com', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } }, status: { attached: true } };
  assert.deepEqual(volumeAttachmentPrinter.cells(va, NOW), ['csi-abc', 'csi.example.com', 'pv1', 'n1', true, '60s']);
});
