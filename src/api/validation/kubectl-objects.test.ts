// Objects shaped as kubectl's generators send them must default and validate
// cleanly: a false positive here would break everyday commands.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from './testdata.js';

const m = (name: string, namespace?: string) => ({ name, creationTimestamp: null, ...(namespace ? { namespace } : {}) });

const samples: [string, string, Record<string, unknown>][] = [
  ['', 'Pod', { metadata: { ...m('nginx', 'default'), labels: { run: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' }, status: {} }],
  [
    'apps',
    'Deployment',
    {
      metadata: { ...m('web', 'default'), labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        strategy: {},
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
      },
      status: {},
    },
  ],
  ['batch', 'Job', { metadata: { ...m('pi', 'default'), uid: 'c0ffee' }, spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'pi', image: 'perl', resources: {} }], restartPolicy: 'Never' } } }, status: {} }],
  [
    'batch',
    'CronJob',
    {
      metadata: m('tick', 'default'),
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: { metadata: { creationTimestamp: null, name: 'tick' }, spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'tick', image: 'busybox', resources: {} }], restartPolicy: 'OnFailure' } } } },
      },
      status: {},
    },
  ],
  ['', 'Service', { metadata: { ...m('web', 'default'), labels: { app: 'web' } }, spec: { ports: [{ name: '80-80', port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' }, type: 'ClusterIP' }, status: { loadBalancer: {} } }],
  ['', 'Service', { metadata: m('np', 'default'), spec: { ports: [{ name: '80-80', port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'np' }, type: 'NodePort' }, status: { loadBalancer: {} } }],
  ['', 'ConfigMap', { metadata: m('cfg', 'default'), data: { 'a.txt': 'hello', KEY: 'v' } }],
  ['', 'Secret', { metadata: m('s', 'default'), data: { password: Buffer.from('hunter2').toString('base64') } }],
  ['', 'Secret', { metadata: m('tls', 'default'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' } }],
  ['', 'Namespace', { metadata: m('dev'), spec: {}, status: {} }],
  ['', 'ServiceAccount', { metadata: m('robot', 'default') }],
  ['rbac.authorization.k8s.io', 'Role', { metadata: m('reader', 'default'), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] }],
  ['rbac.authorization.k8s.io', 'RoleBinding', { metadata: m('reader', 'default'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }] }],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding', { metadata: m('admin'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] }],
  ['scheduling.k8s.io', 'PriorityClass', { metadata: m('high'), value: 1000, globalDefault: false, description: 'x', preemptionPolicy: 'PreemptLowerPriority' }],
  ['networking.k8s.io', 'Ingress', { metadata: m('web', 'default'), spec: { rules: [{ host: 'web.example.com', http: { paths: [{ backend: { service: { name: 'web', port: { number: 80 } } }, path: '/', pathType: 'Exact' }] } }] }, status: { loadBalancer: {} } }],
  ['', 'PersistentVolumeClaim', { metadata: m('data', 'default'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  ['apps', 'StatefulSet', { metadata: m('db', 'default'), spec: { serviceName: 'db', replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16', ports: [{ containerPort: 5432, name: 'pg' }] }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } }],
  ['apps', 'DaemonSet', { metadata: m('agent', 'kube-system'), spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { hostNetwork: true, containers: [{ name: 'agent', image: 'agent:1', ports: [{ containerPort: 9100 }] }], tolerations: [{ operator: 'Exists' }] } } } }],
  ['coordination.k8s.io', 'Lease', { metadata: m('node-1', 'kube-node-lease'), spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } }],
  ['', 'Node', { metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, spec: { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'] }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } } }],
  ['discovery.k8s.io', 'EndpointSlice', { metadata: m('web-abc', 'default'), addressType: 'IPv4', endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }], ports: [{ name: '', port: 80, protocol: 'TCP' }] }],
  ['', 'Event', { metadata: m('nginx.1', 'default'), involvedObject: { kind: 'Pod', name: 'nginx', namespace: 'default' }, reason: 'Scheduled', message: 'ok', type: 'Normal' }],
];

test('kubectl-generated objects validate cleanly after defaulting', () => {
  for (const [group, kind, obj] of samples) assert.deepEqual(check(group, kind, obj), [], `${group}/${kind} ${JSON.stringify(obj).slice(0, 60)}`);
});
