// The built-in resources, as Kubernetes 1.33 serves them.
import { eventsV1Conversion } from './event-conversion.js';
import { hpaV1Conversion } from './hpa-conversion.js';
import { STANDARD_VERBS, type ResourceInfo, type SubresourceInfo } from './resource-info.js';

interface Spec {
  kind: string;
  namespaced?: boolean;
  short?: string[];
  categories?: string[];
  sub?: (string | SubresourceInfo)[];
  verbs?: string[];
  virtual?: boolean;
  versions?: string[];
  singular?: string;
}

const statusSub = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scaleSub: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };

function expand(group: string, version: string, resources: Record<string, Spec>): ResourceInfo[] {
  return Object.entries(resources).map(([resource, s]) => ({
    group,
    version,
    versions: s.versions ?? [version],
    resource,
    kind: s.kind,
    singular: s.singular ?? s.kind.toLowerCase(),
    listKind: `${s.kind}List`,
    namespaced: s.namespaced ?? true,
    shortNames: s.short ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? [...STANDARD_VERBS],
    virtual: s.virtual,
    subresources: (s.sub ?? []).map((x) =>
      typeof x !== 'string'
        ? x
        : x === 'status'
          ? statusSub(s.kind)
          : x === 'scale'
            ? scaleSub
            : { name: x, kind: s.kind, verbs: ['get'] },
    ),
  }));
}

const createOnly = ['create'];
const all = ['all'];

export const BUILTIN_RESOURCES: ResourceInfo[] = [
  ...expand('', 'v1', {
    namespaces: { kind: 'Namespace', namespaced: false, short: ['ns'], sub: ['status', { name: 'finalize', kind: 'Namespace', verbs: ['update'] }], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    pods: {
      kind: 'Pod', short: ['po'], categories: all,
      sub: [
        'status',
        { name: 'binding', kind: 'Binding', verbs: ['create'] },
        { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
        { name: 'log', kind: 'Pod', verbs: ['get'] },
        { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
        { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
        { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      ],
    },
    services: { kind: 'Service', short: ['svc'], categories: all, sub: ['status'] },
    endpoints: { kind: 'Endpoints', short: ['ep'], singular: 'endpoints' },
    configmaps: { kind: 'ConfigMap', short: ['cm'] },
    secrets: { kind: 'Secret' },
    serviceaccounts: { kind: 'ServiceAccount', short: ['sa'], sub: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }] },
    nodes: { kind: 'Node', namespaced: false, short: ['no'], sub: ['status'] },
    events: { kind: 'Event', short: ['ev'] },
    persistentvolumes: { kind: 'PersistentVolume', namespaced: false, short: ['pv'], sub: ['status'] },
    persistentvolumeclaims: { kind: 'PersistentVolumeClaim', short: ['pvc'], sub: ['status'] },
    resourcequotas: { kind: 'ResourceQuota', short: ['quota'], sub: ['status'] },
    limitranges: { kind: 'LimitRange', short: ['limits'] },
    podtemplates: { kind: 'PodTemplate' },
    replicationcontrollers: { kind: 'ReplicationController', short: ['rc'], categories: all, sub: ['status', 'scale'] },
  }),
  ...expand('apps', 'v1', {
    deployments: { kind: 'Deployment', short: ['deploy'], categories: all, sub: ['status', 'scale'] },
    replicasets: { kind: 'ReplicaSet', short: ['rs'], categories: all, sub: ['status', 'scale'] },
    statefulsets: { kind: 'StatefulSet', short: ['sts'], categories: all, sub: ['status', 'scale'] },
    daemonsets: { kind: 'DaemonSet', short: ['ds'], categories: all, sub: ['status'] },
    controllerrevisions: { kind: 'ControllerRevision' },
  }),
  ...expand('batch', 'v1', {
    jobs: { kind: 'Job', categories: all, sub: ['status'] },
    cronjobs: { kind: 'CronJob', short: ['cj'], categories: all, sub: ['status'] },
  }),
  ...expand('discovery.k8s.io', 'v1', { endpointslices: { kind: 'EndpointSlice' } }),
  ...expand('networking.k8s.io', 'v1', {
    ingresses: { kind: 'Ingress', short: ['ing'], sub: ['status'] },
    ingressclasses: { kind: 'IngressClass', namespaced: false },
    networkpolicies: { kind: 'NetworkPolicy', short: ['netpol'] },
  }),
  ...expand('coordination.k8s.io', 'v1', { leases: { kind: 'Lease' } }),
  ...expand('rbac.authorization.k8s.io', 'v1', {
    roles: { kind: 'Role' },
    rolebindings: { kind: 'RoleBinding' },
    clusterroles: { kind: 'ClusterRole', namespaced: false },
    clusterrolebindings: { kind: 'ClusterRoleBinding', namespaced: false },
  }),
  ...expand('policy', 'v1', { poddisruptionbudgets: { kind: 'PodDisruptionBudget', short: ['pdb'], sub: ['status'] } }),
  ...expand('autoscaling', 'v2', {
    horizontalpodautoscalers: { kind: 'HorizontalPodAutoscaler', short: ['hpa'], categories: all, sub: ['status'], versions: ['v2', 'v1'] },
  }).map((r) => ({ ...r, versionConversions: { v1: hpaV1Conversion } })),
  ...expand('storage.k8s.io', 'v1', { storageclasses: { kind: 'StorageClass', namespaced: false, short: ['sc'] } }),
  ...expand('scheduling.k8s.io', 'v1', { priorityclasses: { kind: 'PriorityClass', namespaced: false, short: ['pc'] } }),
  ...expand('events.k8s.io', 'v1', { events: { kind: 'Event', short: ['ev'] } }).map((r) => ({ ...r, conversion: eventsV1Conversion })),
  ...expand('authentication.k8s.io', 'v1', {
    tokenreviews: { kind: 'TokenReview', namespaced: false, verbs: createOnly, virtual: true },
    selfsubjectreviews: { kind: 'SelfSubjectReview', namespaced: false, verbs: createOnly, virtual: true, versions: ['v1', 'v1beta1', 'v1alpha1'] },
  }),
  ...expand('authorization.k8s.io', 'v1', {
    selfsubjectaccessreviews: { kind: 'SelfSubjectAccessReview', namespaced: false, verbs: createOnly, virtual: true },
    selfsubjectrulesreviews: { kind: 'SelfSubjectRulesReview', namespaced: false, verbs: createOnly, virtual: true },
    subjectaccessreviews: { kind: 'SubjectAccessReview', namespaced: false, verbs: createOnly, virtual: true },
    localsubjectaccessreviews: { kind: 'LocalSubjectAccessReview', verbs: createOnly, virtual: true },
  }),
  ...expand('apiextensions.k8s.io', 'v1', {
    customresourcedefinitions: { kind: 'CustomResourceDefinition', namespaced: false, short: ['crd', 'crds'], categories: ['api-extensions'], sub: ['status'] },
  }),
];
