import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, defaultImagePullPolicy } from './index.js';

const defaulted = (group: string, kind: string, obj: Record<string, unknown>) => {
  const copy = structuredClone(obj);
  applyDefaults(group, kind, copy);
  return copy;
};

const bareContainer = { name: 'nginx', image: 'nginx' };
const defaultedContainer = {
  name: 'nginx',
  image: 'nginx',
  imagePullPolicy: 'Always',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};
const defaultedPodSpecFields = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

test('a bare Deployment gets what kubectl get -o yaml shows', () => {
  const out = defaulted('apps', 'Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [bareContainer] } },
    },
  });
  assert.deepEqual(out.spec, {
    progressDeadlineSeconds: 600,
    replicas: 1,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [defaultedContainer], ...defaultedPodSpecFields },
    },
  });
});

test('Pod defaults: pod-only fields, probes, ports, volumes, requests from limits', () => {
  const out = defaulted('', 'Pod', {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: '1' } },
          env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
      ],
      volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }, { name: 'h', hostPath: { path: '/x' } }],
    },
  });
  const spec = out.spec as Record<string, unknown>;
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.restartPolicy, 'Always');
  const c = (spec.containers as Record<string, unknown>[])[0]!;
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(c.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(c.resources, { limits: { cpu: '1' }, requests: { cpu: '1' } });
  assert.deepEqual(c.env, [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }]);
  assert.deepEqual(spec.volumes, [
    { name: 'a', emptyDir: {} },
    { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/x', type: '' } },
  ]);
});

test('resource lists are rounded up to milli precision; zero probe numbers take defaults', () => {
  const out = defaulted('apps', 'Deployment', {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'c',
              image: 'x:1',
              resources: { requests: { cpu: '100u', memory: '128Mi' }, limits: { cpu: '1.0001' } },
              readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 0, failureThreshold: 5 },
            },
          ],
        },
      },
    },
  });
  const c = (((out.spec as Record<string, unknown>).template as Record<string, unknown>).spec as { containers: Record<string, unknown>[] })
    .containers[0]!;
  assert.deepEqual(c.resources, { requests: { cpu: '1m', memory: '128Mi' }, limits: { cpu: '1001m' } });
  assert.deepEqual(c.readinessProbe, { tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 5, timeoutSeconds: 1, successThreshold: 1 });
});

test('image pull policy follows the tag', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry:5000/app', 'Always'],
    ['registry:5000/app:1.0', 'IfNotPresent'],
    ['nginx@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['nginx:1.27', 'IfNotPresent'],
    ['Nginx', 'IfNotPresent'], // does not parse: upstream falls back to IfNotPresent
  ];
  for (const [image, want] of cases) assert.equal(defaultImagePullPolicy(image), want, image);
});

test('Service defaults by type', () => {
  const cip = defaulted('', 'Service', { spec: { ports: [{ port: 80 }], selector: { app: 'x' } } });
  assert.deepEqual(cip.spec, {
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    selector: { app: 'x' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const lb = defaulted('', 'Service', { spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http' }] } });
  const spec = lb.spec as Record<string, unknown>;
  assert.equal(spec.externalTrafficPolicy, 'Cluster');
  assert.equal(spec.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(spec.ports, [{ port: 80, targetPort: 'http', protocol: 'TCP' }]);
  const sticky = defaulted('', 'Service', { spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
  assert.deepEqual((sticky.spec as Record<string, unknown>).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const en = defaulted('', 'Service', { spec: { type: 'ExternalName', externalName: 'x.example.com' } });
  assert.equal((en.spec as Record<string, unknown>).ipFamilyPolicy, undefined);
  assert.equal((en.spec as Record<string, unknown>).internalTrafficPolicy, undefined);
});

test('workload and batch defaults', () => {
  const sts = defaulted('apps', 'StatefulSet', {
    spec: { serviceName: 's', volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }], template: { spec: { containers: [] } } },
  });
  const ss = sts.spec as Record<string, unknown>;
  assert.equal(ss.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(ss.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(ss.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.deepEqual(ss.volumeClaimTemplates, [{ metadata: { name: 'd' }, spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }]);

  const ds = defaulted('apps', 'DaemonSet', { spec: { template: { spec: {} } } });
  assert.deepEqual((ds.spec as Record<string, unknown>).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });

  const job = defaulted('batch', 'Job', {
    metadata: { name: 'pi', namespace: 'default', uid: 'u-1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [bareContainer] } } },
  });
  const js = job.spec as Record<string, unknown>;
  assert.equal(js.completions, 1);
  assert.equal(js.parallelism, 1);
  assert.equal(js.backoffLimit, 6);
  assert.equal(js.completionMode, 'NonIndexed');
  assert.equal(js.suspend, false);
  assert.equal(js.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(js.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  const expectedLabels = {
    'job-name': 'pi',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'u-1',
    'batch.kubernetes.io/controller-uid': 'u-1',
  };
  assert.deepEqual((job.metadata as Record<string, unknown>).labels, expectedLabels);
  assert.equal(((js.template as Record<string, unknown>).spec as Record<string, unknown>).restartPolicy, 'Never');

  const parallelOnly = defaulted('batch', 'Job', { spec: { parallelism: 3, template: {} } });
  assert.equal((parallelOnly.spec as Record<string, unknown>).completions, undefined);

  const cj = defaulted('batch', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: {} } } } } });
  const cs = cj.spec as Record<string, unknown>;
  assert.equal(cs.concurrencyPolicy, 'Allow');
  assert.equal(cs.suspend, false);
  assert.equal(cs.successfulJobsHistoryLimit, 3);
  assert.equal(cs.failedJobsHistoryLimit, 1);
  assert.equal(((cs.jobTemplate as Record<string, unknown>).spec as Record<string, unknown>).backoffLimit, undefined);
});

test('core and other-group defaults', () => {
  assert.deepEqual(defaulted('', 'Namespace', { metadata: { name: 'dev' } }), {
    metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  // A terminating namespace whose finalizers were removed keeps them removed.
  assert.deepEqual(defaulted('', 'Namespace', { metadata: { name: 'dev' }, spec: {}, status: { phase: 'Terminating' } }).spec, {});
  assert.deepEqual(defaulted('', 'Secret', { stringData: { a: 'hi' } }), { type: 'Opaque', data: { a: 'aGk=' } });
  const pv = defaulted('', 'PersistentVolume', { spec: {} });
  assert.deepEqual(pv.spec, { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  assert.deepEqual(defaulted('storage.k8s.io', 'StorageClass', { provisioner: 'x' }), {
    provisioner: 'x',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  });
  assert.equal(defaulted('scheduling.k8s.io', 'PriorityClass', { value: 1 }).preemptionPolicy, 'PreemptLowerPriority');
  const np = defaulted('networking.k8s.io', 'NetworkPolicy', { spec: { egress: [{ ports: [{ port: 53 }] }] } });
  assert.deepEqual(np.spec, { egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] });
  const rb = defaulted('rbac.authorization.k8s.io', 'RoleBinding', {
    roleRef: { kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's', namespace: 'd' }],
  });
  assert.deepEqual(rb, {
    roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' },
    subjects: [
      { kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 's', namespace: 'd', apiGroup: '' },
    ],
  });
  assert.deepEqual(defaulted('discovery.k8s.io', 'EndpointSlice', { ports: [{ port: 80 }] }).ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  // Unknown kinds are untouched; defaulting twice changes nothing.
  assert.deepEqual(defaulted('example.com', 'Widget', { a: 1 }), { a: 1 });
  const once = defaulted('apps', 'Deployment', { spec: { template: { spec: { containers: [bareContainer] } } } });
  assert.deepEqual(defaulted('apps', 'Deployment', once), once);
});
