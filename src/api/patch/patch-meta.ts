// Strategic-merge metadata of the built-in kinds: the one table both the
// strategic merge patch and the OpenAPI documents (x-kubernetes-patch-*,
// x-kubernetes-list-*) are built from. Facts checked against upstream's
// struct tags and OpenAPI v3 spec; keyed like the spec, by definition name
// and field, and only holding fields that carry metadata or lead to some.

export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
export type ListType = 'atomic' | 'set' | 'map';

export interface FieldPatchMeta {
  /** x-kubernetes-patch-strategy. Lists without `merge` are replaced whole. */
  readonly strategy?: PatchStrategy;
  /** x-kubernetes-patch-merge-key (lists of objects merged by this field). */
  readonly mergeKey?: string;
  /** Definition name of the field's type, or of the list's elements. */
  readonly type?: string;
  /** x-kubernetes-list-type. */
  readonly listType?: ListType;
  /** x-kubernetes-list-map-keys. */
  readonly listMapKeys?: readonly string[];
}

export type DefinitionPatchMeta = Readonly<Record<string, FieldPatchMeta>>;

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const BATCH = 'io.k8s.api.batch.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const OBJECT_META = `${META}.ObjectMeta`;
const POD_TEMPLATE_SPEC = `${CORE}.PodTemplateSpec`;

// Reused field shapes.
const byName = (type?: string): FieldPatchMeta => ({ strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'], ...(type ? { type } : {}) });
const conditions = (type?: string): FieldPatchMeta => ({ strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'], ...(type ? { type } : {}) });
const atomic: FieldPatchMeta = { listType: 'atomic' };
const meta: FieldPatchMeta = { type: OBJECT_META };
const template: FieldPatchMeta = { type: POD_TEMPLATE_SPEC };

// A workload root: metadata, spec and status types.
const root = (spec?: string, status?: string): DefinitionPatchMeta => ({
  metadata: meta,
  ...(spec ? { spec: { type: spec } } : {}),
  ...(status ? { status: { type: status } } : {}),
});

// Container and EphemeralContainer share their list fields.
const CONTAINER_FIELDS: DefinitionPatchMeta = {
  ports: { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  env: byName(),
  envFrom: atomic,
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
  command: atomic,
  args: atomic,
  resizePolicy: atomic,
  resources: { type: `${CORE}.ResourceRequirements` },
};

export const PATCH_META_TABLE: Readonly<Record<string, DefinitionPatchMeta>> = {
  [OBJECT_META]: {
    finalizers: { strategy: 'merge', listType: 'set' },
    ownerReferences: { strategy: 'merge', mergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
    managedFields: atomic,
  },

  // ---- core/v1: pods and their templates ----
  [`${CORE}.Pod`]: root(`${CORE}.PodSpec`, `${CORE}.PodStatus`),
  [`${CORE}.PodTemplate`]: { metadata: meta, template },
  [POD_TEMPLATE_SPEC]: root(`${CORE}.PodSpec`),
  [`${CORE}.PodSpec`]: {
    volumes: { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    initContainers: byName(`${CORE}.Container`),
    containers: byName(`${CORE}.Container`),
    ephemeralContainers: byName(`${CORE}.EphemeralContainer`),
    imagePullSecrets: byName(),
    hostAliases: { strategy: 'merge', mergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
    tolerations: atomic,
    readinessGates: atomic,
    topologySpreadConstraints: {
      strategy: 'merge',
      mergeKey: 'topologyKey',
      listType: 'map',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    },
    schedulingGates: byName(),
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [`${CORE}.Container`]: CONTAINER_FIELDS,
  [`${CORE}.EphemeralContainer`]: CONTAINER_FIELDS,
  [`${CORE}.ResourceRequirements`]: {
    claims: { listType: 'map', listMapKeys: ['name'] },
  },
  [`${CORE}.PodStatus`]: {
    conditions: conditions(),
    podIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
    hostIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
    initContainerStatuses: { ...atomic, type: `${CORE}.ContainerStatus` },
    containerStatuses: { ...atomic, type: `${CORE}.ContainerStatus` },
    ephemeralContainerStatuses: { ...atomic, type: `${CORE}.ContainerStatus` },
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [`${CORE}.ContainerStatus`]: {
    allocatedResourcesStatus: byName(),
  },

  // ---- core/v1: other kinds ----
  [`${CORE}.Service`]: root(`${CORE}.ServiceSpec`, `${CORE}.ServiceStatus`),
  [`${CORE}.ServiceSpec`]: {
    ports: { strategy: 'merge', mergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
    clusterIPs: atomic,
    externalIPs: atomic,
    ipFamilies: atomic,
    loadBalancerSourceRanges: atomic,
  },
  [`${CORE}.ServiceStatus`]: { conditions: conditions() },
  [`${CORE}.Node`]: root(`${CORE}.NodeSpec`, `${CORE}.NodeStatus`),
  [`${CORE}.NodeSpec`]: {
    podCIDRs: { strategy: 'merge', listType: 'set' },
    taints: atomic,
  },
  [`${CORE}.NodeStatus`]: {
    conditions: conditions(),
    addresses: { strategy: 'merge', mergeKey: 'type' },
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },
  [`${CORE}.Endpoints`]: { metadata: meta, subsets: atomic },
  [`${CORE}.Namespace`]: root(`${CORE}.NamespaceSpec`, `${CORE}.NamespaceStatus`),
  [`${CORE}.NamespaceSpec`]: { finalizers: atomic },
  [`${CORE}.NamespaceStatus`]: { conditions: conditions() },
  [`${CORE}.ServiceAccount`]: {
    metadata: meta,
    secrets: byName(),
    imagePullSecrets: atomic,
  },
  [`${CORE}.ConfigMap`]: { metadata: meta },
  [`${CORE}.Secret`]: { metadata: meta },
  [`${CORE}.Event`]: { metadata: meta },
  [`${CORE}.LimitRange`]: { metadata: meta },
  [`${CORE}.ResourceQuota`]: { metadata: meta },
  [`${CORE}.PersistentVolume`]: { metadata: meta },
  [`${CORE}.PersistentVolumeClaim`]: root(undefined, `${CORE}.PersistentVolumeClaimStatus`),
  [`${CORE}.PersistentVolumeClaimStatus`]: { conditions: conditions() },
  [`${CORE}.ReplicationController`]: root(`${CORE}.ReplicationControllerSpec`, `${CORE}.ReplicationControllerStatus`),
  [`${CORE}.ReplicationControllerSpec`]: { template },
  [`${CORE}.ReplicationControllerStatus`]: { conditions: conditions() },

  // ---- apps/v1 ----
  [`${APPS}.Deployment`]: root(`${APPS}.DeploymentSpec`, `${APPS}.DeploymentStatus`),
  [`${APPS}.DeploymentSpec`]: { template, strategy: { strategy: 'retainKeys' } },
  [`${APPS}.DeploymentStatus`]: { conditions: conditions() },
  [`${APPS}.ReplicaSet`]: root(`${APPS}.ReplicaSetSpec`, `${APPS}.ReplicaSetStatus`),
  [`${APPS}.ReplicaSetSpec`]: { template },
  [`${APPS}.ReplicaSetStatus`]: { conditions: conditions() },
  [`${APPS}.StatefulSet`]: root(`${APPS}.StatefulSetSpec`, `${APPS}.StatefulSetStatus`),
  [`${APPS}.StatefulSetSpec`]: { template, volumeClaimTemplates: atomic },
  [`${APPS}.StatefulSetStatus`]: { conditions: conditions() },
  [`${APPS}.DaemonSet`]: root(`${APPS}.DaemonSetSpec`, `${APPS}.DaemonSetStatus`),
  [`${APPS}.DaemonSetSpec`]: { template },
  [`${APPS}.DaemonSetStatus`]: { conditions: conditions() },
  [`${APPS}.ControllerRevision`]: { metadata: meta },

  // ---- batch/v1 ----
  [`${BATCH}.Job`]: root(`${BATCH}.JobSpec`, `${BATCH}.JobStatus`),
  [`${BATCH}.JobSpec`]: { template },
  [`${BATCH}.JobStatus`]: { conditions: { strategy: 'merge', mergeKey: 'type', listType: 'atomic' } },
  [`${BATCH}.CronJob`]: root(`${BATCH}.CronJobSpec`, `${BATCH}.CronJobStatus`),
  [`${BATCH}.CronJobSpec`]: { jobTemplate: { type: `${BATCH}.JobTemplateSpec` } },
  [`${BATCH}.JobTemplateSpec`]: root(`${BATCH}.JobSpec`),
  [`${BATCH}.CronJobStatus`]: { active: atomic },

  // ---- other groups ----
  ['io.k8s.api.networking.v1.Ingress']: root('io.k8s.api.networking.v1.IngressSpec'),
  ['io.k8s.api.networking.v1.IngressSpec']: { rules: atomic, tls: atomic },
  ['io.k8s.api.networking.v1.IngressClass']: { metadata: meta },
  ['io.k8s.api.networking.v1.NetworkPolicy']: { metadata: meta },
  ['io.k8s.api.discovery.v1.EndpointSlice']: { metadata: meta, endpoints: atomic, ports: atomic },
  ['io.k8s.api.policy.v1.PodDisruptionBudget']: root('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'io.k8s.api.policy.v1.PodDisruptionBudgetStatus'),
  ['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']: { selector: { strategy: 'replace' } },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetStatus']: { conditions: conditions() },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler']: { metadata: meta },
  ['io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler']: { metadata: meta },
  ['io.k8s.api.rbac.v1.Role']: { metadata: meta },
  ['io.k8s.api.rbac.v1.ClusterRole']: { metadata: meta },
  ['io.k8s.api.rbac.v1.RoleBinding']: { metadata: meta },
  ['io.k8s.api.rbac.v1.ClusterRoleBinding']: { metadata: meta },
  ['io.k8s.api.storage.v1.StorageClass']: { metadata: meta },
  ['io.k8s.api.scheduling.v1.PriorityClass']: { metadata: meta },
  ['io.k8s.api.coordination.v1.Lease']: { metadata: meta },
  ['io.k8s.api.certificates.v1.CertificateSigningRequest']: { metadata: meta },
  ['io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration']: {
    metadata: meta,
    webhooks: byName('io.k8s.api.admissionregistration.v1.MutatingWebhook'),
  },
  ['io.k8s.api.admissionregistration.v1.MutatingWebhook']: { matchConditions: byName() },
  ['io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration']: {
    metadata: meta,
    webhooks: byName('io.k8s.api.admissionregistration.v1.ValidatingWebhook'),
  },
  ['io.k8s.api.admissionregistration.v1.ValidatingWebhook']: { matchConditions: byName() },
  ['io.k8s.api.events.v1.Event']: { metadata: meta },
  ['io.k8s.api.node.v1.RuntimeClass']: { metadata: meta },
  ['io.k8s.api.storage.v1.CSIDriver']: { metadata: meta },
  ['io.k8s.api.storage.v1.CSINode']: { metadata: meta },
  ['io.k8s.api.storage.v1.VolumeAttachment']: { metadata: meta },
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition']: { metadata: meta },
  ['io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService']: { metadata: meta },
};

// One shared table: freeze it so no consumer can change the facts for the others.
for (const fields of Object.values(PATCH_META_TABLE)) {
  for (const f of Object.values(fields)) {
    Object.freeze(f);
    if (f.listMapKeys) Object.freeze(f.listMapKeys);
  }
  Object.freeze(fields);
}
Object.freeze(PATCH_META_TABLE);

// Definition packages (<prefix>.<pkg>.<version>.<Kind>) and their API groups.
const API_GROUPS: Readonly<Record<string, string>> = {
  core: '',
  apps: 'apps',
  batch: 'batch',
  policy: 'policy',
  autoscaling: 'autoscaling',
  networking: 'networking.k8s.io',
  discovery: 'discovery.k8s.io',
  rbac: 'rbac.authorization.k8s.io',
  storage: 'storage.k8s.io',
  scheduling: 'scheduling.k8s.io',
  coordination: 'coordination.k8s.io',
  certificates: 'certificates.k8s.io',
  admissionregistration: 'admissionregistration.k8s.io',
  events: 'events.k8s.io',
  node: 'node.k8s.io',
  apiextensions: 'apiextensions.k8s.io',
  apiregistration: 'apiregistration.k8s.io',
};

// Top-level kinds are the definitions with object metadata, except templates.
function isKindRoot(def: string): boolean {
  return def !== OBJECT_META && PATCH_META_TABLE[def]!.metadata !== undefined && !def.endsWith('TemplateSpec');
}

/** Root definition of each built-in kind, keyed `apiVersion/Kind` (`v1/Pod`, `apps/v1/Deployment`). */
export const KIND_DEFINITIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(PATCH_META_TABLE)
    .filter(isKindRoot)
    .map((def) => {
      const [pkg, version, kind] = def.split('.').slice(-3) as [string, string, string];
      const group = API_GROUPS[pkg];
      if (group === undefined) throw new Error(`patch-meta: no API group known for ${def}`);
      return [`${group ? `${group}/` : ''}${version}/${kind}`, def];
    }),
);

export function definitionFor(apiVersion: string, kind: string): string | undefined {
  return KIND_DEFINITIONS[`${apiVersion}/${kind}`];
}

/** A position in an object's schema, for walking it alongside a patch. */
export interface PatchMeta {
  /** Definition name at this position; undefined where the schema is unknown (free-form maps). */
  readonly definition: string | undefined;
  /** Metadata of field `name` here ({} when it has none). */
  field(name: string): FieldPatchMeta;
  /** Schema of the value of field `name` (for lists, of their elements). */
  child(name: string): PatchMeta;
  /** Metadata of the field at the end of `path` (field names, list elements skipped). */
  lookup(path: readonly string[]): FieldPatchMeta;
}

const NONE: FieldPatchMeta = Object.freeze({});

class TablePatchMeta implements PatchMeta {
  constructor(
    readonly definition: string | undefined,
    private readonly table: Readonly<Record<string, DefinitionPatchMeta>>,
  ) {}

  field(name: string): FieldPatchMeta {
    if (this.definition === undefined) return NONE;
    const def = this.table[this.definition];
    return (def && Object.hasOwn(def, name) ? def[name] : undefined) ?? NONE;
  }

  child(name: string): PatchMeta {
    return new TablePatchMeta(this.field(name).type, this.table);
  }

  lookup(path: readonly string[]): FieldPatchMeta {
    if (path.length === 0) return NONE;
    let node: PatchMeta = this;
    for (const p of path.slice(0, -1)) node = node.child(p);
    return node.field(path[path.length - 1]!);
  }
}

/** Schema walker starting at a definition (tests and the OpenAPI builder may pass their own table). */
export function patchMetaForDefinition(definition: string | undefined, table = PATCH_META_TABLE): PatchMeta {
  return new TablePatchMeta(definition, table);
}

/** Schema of a built-in kind, or undefined (custom resources: use a JSON merge patch instead). */
export function patchMetaFor(apiVersion: string, kind: string): PatchMeta | undefined {
  const def = definitionFor(apiVersion, kind);
  return def === undefined ? undefined : patchMetaForDefinition(def);
}

export function hasPatchMeta(apiVersion: string, kind: string): boolean {
  return definitionFor(apiVersion, kind) !== undefined;
}
