// Objects in their JSON form, for round-trip tests: one per family of fields the decoder handles.
export const richPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-0',
    namespace: 'prod',
    uid: '5f3c1c1e-0000-4000-8000-000000000001',
    resourceVersion: '42',
    generation: 2 ** 40,
    creationTimestamp: '2024-05-06T07:08:09Z',
    labels: { app: 'web', tier: 'front' },
    annotations: { 'example.com/note': 'hi' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u1', controller: true, blockOwnerDeletion: false }],
    finalizers: ['example.com/keep'],
    managedFields: [{
      manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2024-05-06T07:08:09Z',
      fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    }],
  },
  spec: {
    volumes: [
      { name: 'cfg', configMap: { name: 'web-config', items: [{ key: 'a', path: 'a.txt', mode: 256 }], defaultMode: 420, optional: false } },
      { name: 'sec', secret: { secretName: 'web-secret' } },
      { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data-web-0', readOnly: true } },
      { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
      {
        name: 'token',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { audience: 'api', expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ],
    initContainers: [{ name: 'sidecar', image: 'envoy:1', restartPolicy: 'Always', resources: {} }],
    containers: [{
      name: 'web',
      image: 'nginx:1.27',
      command: ['nginx'],
      args: ['-g', 'daemon off;'],
      workingDir: '/srv',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, hostPort: 19090, protocol: 'UDP' }],
      env: [
        { name: 'MODE', value: 'prod' },
        { name: 'EMPTY' },
        { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'mode', optional: false } } },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'pw' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'web-config' } }, { secretRef: { name: 'web-secret', optional: true } }],
      resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      volumeMounts: [{ name: 'cfg', mountPath: '/etc/web', readOnly: true }, { name: 'data', mountPath: '/data', subPath: 'web' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '1' }] }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 2 },
      startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, terminationGracePeriodSeconds: 0 },
      lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext: {
        runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'RuntimeDefault' },
      },
      stdin: true,
      tty: true,
    }],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 0,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    nodeName: 'node-1',
    securityContext: { fsGroup: 2000, runAsGroup: 3000, supplementalGroups: [4000, 5000], sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
    imagePullSecrets: [{ name: 'regcred' }],
    hostname: 'web-0',
    subdomain: 'web',
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } }],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        }],
      },
    },
    schedulerName: 'default-scheduler',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
    priorityClassName: 'high',
    priority: 1000,
    dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
    enableServiceLinks: false,
    preemptionPolicy: 'PreemptLowerPriority',
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
  },
  status: {
    phase: 'Running',
    podIP: '10.42.0.7',
    podIPs: [{ ip: '10.42.0.7' }],
    startTime: '2024-05-06T07:08:10Z',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-06T07:08:20Z' }],
    containerStatuses: [{
      name: 'web', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: 'sha256:abc', started: true,
      state: { running: { startedAt: '2024-05-06T07:08:15Z' } },
      lastState: { terminated: { exitCode: 0, reason: 'Completed' } },
    }],
    qosClass: 'Burstable',
  },
};

export const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: { observedGeneration: 3, replicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: '2024-01-02T03:04:05Z' }] },
};

export const job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', generateName: 'pi-' },
  spec: {
    parallelism: 2,
    completions: 4,
    backoffLimit: 0,
    ttlSecondsAfterFinished: 100,
    completionMode: 'Indexed',
    suspend: false,
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [1, 42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    },
    template: { metadata: {}, spec: { containers: [{ name: 'pi', image: 'perl', resources: {} }], restartPolicy: 'Never' } },
  },
  status: {},
};

export const whoami = {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
  metadata: { creationTimestamp: '2024-05-06T07:08:09Z' },
  status: { userInfo: { username: 'alice', uid: 'a-1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['read', 'write'], empty: [] } } },
};

export const tokenRequest = {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenRequest',
  metadata: { name: 'default', namespace: 'default' },
  spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600 },
  status: { token: 'eyJhbGciOi.x.y', expirationTimestamp: '2030-01-01T00:00:00Z' },
};

export const accessReview = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  metadata: {},
  spec: {
    resourceAttributes: {
      verb: 'list', resource: 'pods', namespace: 'default',
      labelSelector: { rawSelector: 'app=web' },
      fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] },
    },
  },
  status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "admin"' },
};
