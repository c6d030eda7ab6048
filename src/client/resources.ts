// Descriptors of the resources our components use: enough to build request
// paths (group, version, plural, scope) and to fill in apiVersion/kind.

export interface ResourceDescriptor {
  group: string;
  version: string;
  /** Plural, lower case: the path segment. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

const d = (group: string, version: string, resource: string, kind: string, namespaced = true): ResourceDescriptor =>
  Object.freeze({ group, version, resource, kind, namespaced });

export const RESOURCES = Object.freeze({
  namespaces: d('', 'v1', 'namespaces', 'Namespace', false),
  nodes: d('', 'v1', 'nodes', 'Node', false),
  pods: d('', 'v1', 'pods', 'Pod'),
  services: d('', 'v1', 'services', 'Service'),
  endpoints: d('', 'v1', 'endpoints', 'Endpoints'),
  configmaps: d('', 'v1', 'configmaps', 'ConfigMap'),
  secrets: d('', 'v1', 'secrets', 'Secret'),
  serviceaccounts: d('', 'v1', 'serviceaccounts', 'ServiceAccount'),
  events: d('', 'v1', 'events', 'Event'),
  persistentvolumes: d('', 'v1', 'persistentvolumes', 'PersistentVolume', false),
  persistentvolumeclaims: d('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
  resourcequotas: d('', 'v1', 'resourcequotas', 'ResourceQuota'),
  limitranges: d('', 'v1', 'limitranges', 'LimitRange'),
  podtemplates: d('', 'v1', 'podtemplates', 'PodTemplate'),
  replicationcontrollers: d('', 'v1', 'replicationcontrollers', 'ReplicationController'),
  deployments: d('apps', 'v1', 'deployments', 'Deployment'),
  replicasets: d('apps', 'v1', 'replicasets', 'ReplicaSet'),
  statefulsets: d('apps', 'v1', 'statefulsets', 'StatefulSet'),
  daemonsets: d('apps', 'v1', 'daemonsets', 'DaemonSet'),
  controllerrevisions: d('apps', 'v1', 'controllerrevisions', 'ControllerRevision'),
  jobs: d('batch', 'v1', 'jobs', 'Job'),
  cronjobs: d('batch', 'v1', 'cronjobs', 'CronJob'),
  endpointslices: d('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  ingresses: d('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
  ingressclasses: d('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  networkpolicies: d('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy'),
  leases: d('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  poddisruptionbudgets: d('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget'),
  horizontalpodautoscalers: d('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  storageclasses: d('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  priorityclasses: d('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false),
  roles: d('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  rolebindings: d('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  clusterroles: d('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  clusterrolebindings: d('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  customresourcedefinitions: d('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
});

export type BuiltinResourceName = keyof typeof RESOURCES;

/** `group/version`, or just `version` for the core group. */
export const apiVersionOf = (r: Pick<ResourceDescriptor, 'group' | 'version'>): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** A stable key for sharing (one informer per resource). */
export const resourceKey = (r: ResourceDescriptor): string => `${r.group}/${r.version}/${r.resource}`;

/**
 * The request path: collection (no name), object, or subresource. A
 * namespaced resource with no namespace gives the cluster-wide collection.
 */
export function resourcePath(r: ResourceDescriptor, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
