// Maps client-node model class names (V1Pod, V1beta1FlowSchema, CoreV1Event,
// AppsV1... ) to upstream OpenAPI definition names (io.k8s.api.core.v1.Pod).
// A class name carries only the version; the group comes from (in order) an
// explicit group prefix in the name, the fixed meta.k8s.io set, a small
// override table, the API class that sends/receives it, or else the group of
// the first kind (core first) whose fields reach it.
import type { ApiTypeUse, ModelClass } from './client-node-models.js';
import { referencedClasses } from './model-types.js';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Classes that live in apimachinery's meta/v1 (or version) packages. */
const META_CLASSES: Record<string, string> = {
  V1ObjectMeta: 'ObjectMeta',
  V1ListMeta: 'ListMeta',
  V1LabelSelector: 'LabelSelector',
  V1LabelSelectorRequirement: 'LabelSelectorRequirement',
  V1FieldSelectorRequirement: 'FieldSelectorRequirement',
  V1OwnerReference: 'OwnerReference',
  V1ManagedFieldsEntry: 'ManagedFieldsEntry',
  V1Status: 'Status',
  V1StatusDetails: 'StatusDetails',
  V1StatusCause: 'StatusCause',
  V1DeleteOptions: 'DeleteOptions',
  V1Preconditions: 'Preconditions',
  V1Condition: 'Condition',
  V1APIResourceList: 'APIResourceList',
  V1APIResource: 'APIResource',
  V1APIGroup: 'APIGroup',
  V1APIGroupList: 'APIGroupList',
  V1APIVersions: 'APIVersions',
  V1GroupVersionForDiscovery: 'GroupVersionForDiscovery',
  V1ServerAddressByClientCIDR: 'ServerAddressByClientCIDR',
  V1WatchEvent: 'WatchEvent',
};

/** Kinds only ever served as subresources of another group's resources. */
const GROUP_OVERRIDES: Record<string, string> = {
  V1Scale: 'autoscaling',
  V1Eviction: 'policy',
  // core/v1 types used only by other groups' kinds (StorageClass.allowedTopologies).
  V1TopologySelectorTerm: '',
  V1TopologySelectorLabelRequirement: '',
};

/** Groups whose definitions live outside io.k8s.api. */
const PACKAGE_BY_GROUP: Record<string, string> = {
  '': 'io.k8s.api.core',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  'internal.apiserver.k8s.io': 'io.k8s.api.apiserverinternal',
};

const CLASS_NAME = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z][A-Za-z0-9]*)$/;

export interface ClassIdentity {
  /** Upstream definition name. */
  definition: string;
  /** API group ("" for core); undefined for meta/version types. */
  group?: string;
  version: string;
  kind: string;
}

/** Splits "AppsV1beta1Foo" into prefix "Apps", version "v1beta1", kind "Foo". */
export function splitClassName(name: string): { prefix?: string; version: string; kind: string } | undefined {
  const m = CLASS_NAME.exec(name);
  if (!m || m[2] === undefined || m[3] === undefined) return undefined;
  return { ...(m[1] ? { prefix: m[1] } : {}), version: m[2].toLowerCase(), kind: m[3] };
}

export function definitionPackage(group: string, version: string): string {
  const pkg = PACKAGE_BY_GROUP[group] ?? `io.k8s.api.${group.split('.')[0]}`;
  return `${pkg}.${version}`;
}

/**
 * Assigns every model class an upstream identity. Classes that cannot be
 * placed (unreachable from any served kind) are left out.
 */
export function assignDefinitionNames(
  models: Map<string, ModelClass>,
  apiUses: ApiTypeUse[],
): Map<string, ClassIdentity> {
  const groups = new Set(apiUses.map((u) => u.group));
  const groupOfPrefix = (prefix: string): string | undefined => {
    if (prefix === 'Core') return '';
    const lower = prefix.toLowerCase();
    for (const g of groups) if (g.split('.')[0] === lower) return g;
    return undefined;
  };

  const out = new Map<string, ClassIdentity>();
  const groupOf = new Map<string, string>();
  for (const [cls, kind] of Object.entries(META_CLASSES)) {
    out.set(cls, { definition: `${META_V1}.${kind}`, version: 'v1', kind });
  }
  out.set('VersionInfo', { definition: 'io.k8s.apimachinery.pkg.version.Info', version: '', kind: 'Info' });

  const claim = (cls: string, group: string): void => {
    if (out.has(cls) || groupOf.has(cls)) return;
    groupOf.set(cls, group);
  };
  for (const cls of models.keys()) {
    const split = splitClassName(cls);
    if (split?.prefix) {
      const g = groupOfPrefix(split.prefix);
      if (g !== undefined) claim(cls, g);
    }
  }
  for (const [cls, g] of Object.entries(GROUP_OVERRIDES)) claim(cls, g);
  // Core first: core types are the ones other groups share.
  const ordered = [...apiUses].sort((a, b) => Number(a.group !== '') - Number(b.group !== ''));
  for (const use of ordered) claim(use.className, use.group);

  // Walk core's kinds to the end before any other group's: the types that
  // several groups share (NodeSelector, PodTemplateSpec, ...) are core's.
  const roots = [...groupOf.keys()];
  walkFrom(roots.filter((c) => groupOf.get(c) === ''), models, out, groupOf);
  walkFrom(roots.filter((c) => groupOf.get(c) !== ''), models, out, groupOf);

  for (const [cls, group] of groupOf) {
    const split = splitClassName(cls);
    if (!split) continue;
    out.set(cls, {
      definition: `${definitionPackage(group, split.version)}.${split.kind}`,
      group,
      version: split.version,
      kind: split.kind,
    });
  }
  return out;
}

function walkFrom(
  roots: string[],
  models: Map<string, ModelClass>,
  fixed: Map<string, ClassIdentity>,
  groupOf: Map<string, string>,
): void {
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const cls = queue[i] as string;
    const group = groupOf.get(cls);
    const model = models.get(cls);
    if (group === undefined || !model) continue;
    for (const f of model.fields) {
      for (const ref of referencedClasses(f.type)) {
        if (fixed.has(ref) || groupOf.has(ref) || !models.has(ref)) continue;
        groupOf.set(ref, group);
        queue.push(ref);
      }
    }
  }
}
