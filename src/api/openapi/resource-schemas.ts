// Resolves each served resource to its kind's definition, adding definitions
// for resources that bring their own schema (CRDs) or have none.
import { builtinCatalog, gvkKey, ref, type BuiltinCatalog } from './builtin-definitions.js';
import { META_V1 } from './definition-names.js';
import type { Definitions, GroupVersionKind, JsonSchema, ResourceInfo } from './schema-types.js';

export interface ResolvedResource {
  info: ResourceInfo;
  gvk: GroupVersionKind;
  /** Definition name of the kind, e.g. io.k8s.api.apps.v1.Deployment. */
  definition: string;
  /** Definition name of its list kind. */
  listDefinition: string;
}

/** Upstream names CRD definitions by the reversed group: com.example.stable.v1.CronTab. */
export function customDefinitionName(group: string, version: string, kind: string): string {
  const reversed = group.split('.').reverse().join('.');
  return `${reversed}.${version}.${kind}`;
}

const typeMetaProperties = (): Record<string, JsonSchema> => ({
  apiVersion: {
    type: 'string',
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  },
  kind: {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents. In CamelCase.',
  },
});

/** A kind schema for a resource's own schema (or none): TypeMeta and ObjectMeta filled in. */
function customKindSchema(gvk: GroupVersionKind, schema: JsonSchema | undefined): JsonSchema {
  const base: JsonSchema = schema ? { ...schema } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...base,
    type: 'object',
    properties: { ...(base.properties ?? {}), ...typeMetaProperties(), metadata: ref(`${META_V1}.ObjectMeta`) },
    'x-kubernetes-group-version-kind': [gvk],
  };
}

function listSchema(gvk: GroupVersionKind, itemDefinition: string): JsonSchema {
  return {
    description: `${gvk.kind}List is a list of ${gvk.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      ...typeMetaProperties(),
      items: { type: 'array', items: ref(itemDefinition) },
      metadata: ref(`${META_V1}.ListMeta`),
    },
    'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${gvk.kind}List` }],
  };
}

/**
 * Returns the definitions (built-ins plus any added for `resources`) and each
 * resource's definition names.
 */
export function resolveResources(
  resources: ResourceInfo[],
  catalog: BuiltinCatalog = builtinCatalog(),
): { definitions: Definitions; resolved: ResolvedResource[] } {
  const definitions: Definitions = { ...catalog.definitions };
  const resolved: ResolvedResource[] = [];
  for (const info of resources) {
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    let definition = info.schema ? undefined : catalog.byGvk.get(gvkKey(gvk));
    if (definition === undefined) {
      definition = customDefinitionName(info.group, info.version, info.kind);
      definitions[definition] = customKindSchema(gvk, info.schema);
    }
    let listDefinition = info.schema ? undefined : catalog.byGvk.get(gvkKey({ ...gvk, kind: `${gvk.kind}List` }));
    if (listDefinition === undefined) {
      listDefinition = `${definition}List`;
      definitions[listDefinition] = listSchema(gvk, definition);
    }
    resolved.push({ info, gvk, definition, listDefinition });
  }
  return { definitions, resolved };
}

/** "api/v1" or "apis/apps/v1": the key of a group-version document. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
