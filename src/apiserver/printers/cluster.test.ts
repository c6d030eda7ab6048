import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  componentStatusPrinter,
  eventPrinter,
  eventsV1Printer,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  scalePrinter,
  validatingAdmissionPolicyPrinter,
  webhookConfigurationPrinter,
} from './cluster.js';
import { NOW, ago, meta, units } from './testutil.js';

const { s, m, h, d } = units;
type O = Record<string, unknown>;

test('namespace: STATUS', () => {
  assert.deepEqual(namespacePrinter.cells({ metadata: meta('default', 40 * d), status: { phase: 'Active' } }, NOW), ['default', 'Active', '40d']);
  assert.deepEqual(namespacePrinter.cells({ metadata: meta('gone', m, { deletionTimestamp: ago(s) }), status: { phase: 'Terminating' } }, NOW)[1], 'Terminating');
});

test('node: STATUS, ROLES, VERSION and wide addresses/system info', () => {
  assert.deepEqual(
    nodePrinter.columns.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Status', 0],
      ['Roles', 0],
      ['Age', 0],
      ['Version', 0],
      ['Internal-IP', 1],
      ['External-IP', 1],
      ['OS-Image', 1],
      ['Kernel-Version', 1],
      ['Container-Runtime', 1],
    ],
  );
  const node: O = {
    metadata: meta('server-1', 3 * d, {
      labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', 'kubernetes.io/hostname': 'server-1' },
    }),
    spec: { podCIDR: '10.42.0.0/24' },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'Hostname', address: 'server-1' },
      ],
      nodeInfo: { kubeletVersion: 'v1.33.0+kubets', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.13' },
    },
  };
  assert.deepEqual(nodePrinter.cells(node, NOW), [
    'server-1',
    'Ready',
    'control-plane,master',
    '3d',
    'v1.33.0+kubets',
    '192.168.1.10',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.1.0-18-amd64',
    'containerd://1.7.13',
  ]);
  const cordoned: O = {
    metadata: meta('agent-1', h, { labels: { 'kubernetes.io/role': 'worker' } }),
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'Unknown' }], nodeInfo: {} },
  };
  assert.deepEqual(nodePrinter.cells(cordoned, NOW), [
    'agent-1',
    'NotReady,SchedulingDisabled',
    'worker',
    '60m',
    '',
    '<none>',
    '<none>',
    '<unknown>',
    '<unknown>',
    '<unknown>',
  ]);
  assert.deepEqual(nodePrinter.cells({ metadata: meta('new', s), status: {} }, NOW).slice(1, 3), ['Unknown', '<none>']);
  assert.equal(nodePrinter.cells({ metadata: meta('c', s), spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, NOW)[1], 'Ready,SchedulingDisabled');
});

test('core event: LAST SEEN TYPE REASON OBJECT MESSAGE + wide cells', () => {
  assert.deepEqual(
    eventPrinter.columns.map((c) => [c.name, c.priority]),
    [
      ['Last Seen', 0],
      ['Type', 0],
      ['Reason', 0],
      ['Object', 0],
      ['Subobject', 1],
      ['Source', 1],
      ['Message', 0],
      ['First Seen', 1],
      ['Count', 1],
      ['Name', 1],
    ],
  );
  const ev: O = {
    metadata: meta('web-abc.17c5', 10 * m),
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-abc', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx:1.25"\n',
    source: { component: 'kubelet', host: 'server-1' },
    firstTimestamp: ago(10 * m),
    lastTimestamp: ago(2 * m),
    count: 3,
    type: 'Normal',
  };
  assert.deepEqual(eventPrinter.cells(ev, NOW), [
    '2m',
    'Normal',
    'Pulled',
    'pod/web-abc',
    'spec.containers{nginx}',
    'kubelet, server-1',
    'Successfully pulled image "nginx:1.25"',
    '10m',
    3,
    'web-abc.17c5',
  ]);
  // New-style event written through core/v1: eventTime, series, reportingComponent.
  const series: O = {
    metadata: meta('sched.1', 30 * m),
    involvedObject: { kind: 'Pod', name: 'pending' },
    reason: 'FailedScheduling',
    message: '0/1 nodes are available',
    eventTime: '2024-06-01T11:30:00.123456Z',
    series: { count: 7, lastObservedTime: '2024-06-01T11:55:00.000000Z' },
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-server-1',
    type: 'Warning',
  };
  assert.deepEqual(eventPrinter.cells(series, NOW), [
    '5m',
    'Warning',
    'FailedScheduling',
    'pod/pending',
    '',
    'default-scheduler, default-scheduler-server-1',
    '0/1 nodes are available',
    '29m',
    7,
    'sched.1',
  ]);
  const bare: O = { metadata: meta('n', m), involvedObject: { kind: 'Node' }, eventTime: ago(m), type: 'Normal', reason: 'Starting', message: '' };
  assert.deepEqual(eventPrinter.cells(bare, NOW).slice(0, 4), ['60s', 'Normal', 'Starting', 'node']);
  assert.equal(eventPrinter.cells(bare, NOW)[8], 1);
});

test('events.k8s.io event is printed from its own field names', () => {
  const ev: O = {
    metadata: meta('web.1', m),
    eventTime: '2024-06-01T11:50:00.000000Z',
    regarding: { kind: 'Deployment', name: 'web' },
    reason: 'ScalingReplicaSet',
    note: 'Scaled up replica set web-7d4b9c to 3',
    reportingController: 'deployment-controller',
    type: 'Normal',
    deprecatedSource: { component: 'deployment-controller' },
  };
  assert.deepEqual(eventsV1Printer.cells(ev, NOW), [
    '10m',
    'Normal',
    'ScalingReplicaSet',
    'deployment/web',
    '',
    'deployment-controller',
    'Scaled up replica set web-7d4b9c to 3',
    '10m',
    1,
    'web.1',
  ]);
});

test('lease, priorityclass, runtimeclass', () => {
  assert.deepEqual(leasePrinter.cells({ metadata: meta('kube-scheduler', h), spec: { holderIdentity: 'server-1_4f2a' } }, NOW), ['kube-scheduler', 'server-1_4f2a', '60m']);
  assert.deepEqual(leasePrinter.cells({ metadata: meta('free', h), spec: {} }, NOW)[1], '');
  assert.deepEqual(
    priorityClassPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Value', 'integer', 0],
      ['Global-Default', 'boolean', 0],
      ['Age', 'string', 0],
      ['PreemptionPolicy', 'string', 1],
    ],
  );
  assert.deepEqual(priorityClassPrinter.cells({ metadata: meta('system-node-critical', 5 * d), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }, NOW), [
    'system-node-critical',
    2000001000,
    false,
    '5d',
    'PreemptLowerPriority',
  ]);
  assert.deepEqual(runtimeClassPrinter.cells({ metadata: meta('gvisor', m), handler: 'runsc' }, NOW), ['gvisor', 'runsc', '60s']);
});

test('certificatesigningrequest: AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION', () => {
  assert.deepEqual(certificateSigningRequestPrinter.columns.map((c) => c.name), ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
  const csr: O = {
    metadata: meta('csr-x', m),
    spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'admin', expirationSeconds: 86400, request: 'LS0t' },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0tLS1CRUdJTg==' },
  };
  assert.deepEqual(certificateSigningRequestPrinter.cells(csr, NOW), ['csr-x', '60s', 'kubernetes.io/kube-apiserver-client', 'admin', '24h', 'Approved,Issued']);
  const pending: O = { metadata: meta('p', m), spec: { username: 'system:node:a' }, status: {} };
  assert.deepEqual(certificateSigningRequestPrinter.cells(pending, NOW).slice(2), ['<none>', 'system:node:a', '<none>', 'Pending']);
  const denied: O = { metadata: meta('d', m), spec: {}, status: { conditions: [{ type: 'Approved' }, { type: 'Denied' }, { type: 'Failed' }] } };
  assert.equal(certificateSigningRequestPrinter.cells(denied, NOW)[5], 'Denied,Failed');
});

test('apiservice: SERVICE AVAILABLE', () => {
  const local: O = { metadata: meta('v1.apps', d), spec: { group: 'apps', version: 'v1' }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } };
  assert.deepEqual(apiServicePrinter.cells(local, NOW), ['v1.apps', 'Local', 'True', '24h']);
  const metrics: O = {
    metadata: meta('v1beta1.metrics.k8s.io', d),
    spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
    status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
  };
  assert.deepEqual(apiServicePrinter.cells(metrics, NOW).slice(1, 3), ['kube-system/metrics-server', 'False (MissingEndpoints)']);
  assert.equal(apiServicePrinter.cells({ metadata: meta('x', d), spec: {} }, NOW)[2], 'Unknown');
});

test('webhook configurations and validating admission policies', () => {
  assert.deepEqual(webhookConfigurationPrinter.cells({ metadata: meta('hooks', m), webhooks: [{ name: 'a' }, { name: 'b' }] }, NOW), ['hooks', 2, '60s']);
  assert.deepEqual(
    validatingAdmissionPolicyPrinter.cells({ metadata: meta('vap', m), spec: { validations: [{ expression: 'true' }], paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } }, NOW),
    ['vap', 1, 'v1/ConfigMap', '60s'],
  );
});

test('componentstatus and scale', () => {
  const cs: O = { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] };
  assert.deepEqual(componentStatusPrinter.cells(cs, NOW), ['etcd-0', 'Healthy', 'ok', '']);
  assert.deepEqual(componentStatusPrinter.cells({ metadata: { name: 'x' } }, NOW), ['x', 'Unknown', '', '']);
  const bad: O = { metadata: { name: 's' }, conditions: [{ type: 'Healthy', status: 'False', error: 'refused' }] };
  assert.deepEqual(componentStatusPrinter.cells(bad, NOW), ['s', 'Unhealthy', '', 'refused']);
  const scale: O = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: meta('web', m), spec: { replicas: 5 }, status: { replicas: 3, selector: 'app=web' } };
  assert.deepEqual(scalePrinter.cells(scale, NOW), ['web', 5, 3, '60s']);
});
