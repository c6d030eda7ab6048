// Turns the client-node models into upstream-named JSON Schema definitions,
// built once on first use (about 0.2 s) and cached: no generated artifact to
// keep in sync, and no cost at server start.
import { loadApiTypeUses, loadModelClasses, type ModelClass, type ModelField } from './client-node-models.js';
import { assignDefinitionNames, META_V1, splitClassName, type ClassIdentity } from './definition-names.js';
import { parseModelType, type ModelType } from './model-types.js';
import { isQuantityField } from './quantity-fields.js';
import {
  DEFINITION_REF_PREFIX_V3,
  type Definitions,
  type FieldExtensions,
  type GroupVersionKind,
  type JsonSchema,
} from './schema-types.js';

export const TIME = `${META_V1}.Time`;
export const MICRO_TIME = `${META_V1}.MicroTime`;
export const FIELDS_V1 = `${META_V1}.FieldsV1`;
export const PATCH = `${META_V1}.Patch`;
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

export const ref = (definition: string): JsonSchema => ({ $ref: DEFINITION_REF_PREFIX_V3 + definition });

/** Definitions with no client-node model: scalars with a wire format of their own. */
function scalarDefinitions(): Definitions {
  return {
    [TIME]: {
      type: 'string',
      format: 'date-time',
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON. RFC 3339, seconds precision.',
    },
    [MICRO_TIME]: {
      type: 'string',
      format: 'date-time',
      description: 'MicroTime is version of Time with microsecond level precision.',
    },
    [INT_OR_STRING]: {
      type: 'string',
      format: 'int-or-string',
      description: 'IntOrString is a type that can hold an int32 or a string.',
      'x-kubernetes-int-or-string': true,
    },
    [QUANTITY]: {
      type: 'string',
      description:
        'Quantity is a fixed-point representation of a number, written as a string such as "100m", "1.5Gi" or "2"; a plain number is accepted too.',
      'x-kubernetes-int-or-string': true,
    },
    [FIELDS_V1]: {
      type: 'object',
      description: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    [RAW_EXTENSION]: {
      type: 'object',
      description: 'RawExtension holds an embedded object of any kind.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    [PATCH]: {
      type: 'object',
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    },
  };
}

export interface BuiltinCatalog {
  /** Every definition, without strategic-merge extensions. */
  definitions: Definitions;
  /** "group/version/Kind" ("" group for core) to definition name, for top-level kinds. */
  byGvk: Map<string, string>;
}

export const gvkKey = (g: GroupVersionKind): string => `${g.group}/${g.version}/${g.kind}`;

function fieldSchema(
  type: ModelType,
  field: ModelField,
  owner: ClassIdentity,
  ids: Map<string, ClassIdentity>,
): JsonSchema {
  const quantity = isQuantityField(owner.kind, field.jsonName);
  const walk = (t: ModelType): JsonSchema => {
    switch (t.kind) {
      case 'primitive':
        if (quantity) return ref(QUANTITY);
        if (t.name === 'number') {
          return field.format === 'int32' || field.format === 'int64'
            ? { type: 'integer', format: field.format }
            : { type: 'number', format: field.format || 'double' };
        }
        if (t.name === 'string' && field.format === 'byte') return { type: 'string', format: 'byte' };
        return { type: t.name };
      case 'time':
        return ref(TIME);
      case 'microTime':
        return ref(MICRO_TIME);
      case 'intOrString':
        return ref(INT_OR_STRING);
      case 'any':
        return field.jsonName === 'fieldsV1' ? ref(FIELDS_V1) : { 'x-kubernetes-preserve-unknown-fields': true };
      case 'array':
        return { type: 'array', items: walk(t.items) };
      case 'map':
        return { type: 'object', additionalProperties: walk(t.values) };
      case 'class': {
        const id = ids.get(t.name);
        // A model we could not place: accept anything rather than reject valid input.
        return id ? ref(id.definition) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      }
    }
  };
  return walk(type);
}

/** OpenAPI 3.0 ignores siblings of $ref, so a described reference is wrapped in allOf as upstream does. */
function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  if (!description) return schema;
  if (schema.$ref !== undefined) return { allOf: [schema], description };
  return { ...schema, description };
}

function classSchema(
  model: ModelClass,
  id: ClassIdentity,
  ids: Map<string, ClassIdentity>,
  models: Map<string, ModelClass>,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of model.fields) {
    const schema = fieldSchema(parseModelType(f.type), f, id, ids);
    // client-node drops the description of fields that name a type; the type's own is the best stand-in.
    const parsed = parseModelType(f.type);
    const fallback = parsed.kind === 'class' ? models.get(parsed.name)?.description : undefined;
    properties[f.jsonName] = withDescription(schema, f.description ?? fallback);
    if (f.required) required.push(f.jsonName);
  }
  return {
    ...(model.description ? { description: model.description } : {}),
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

/** True for models shaped like a served object: apiVersion, kind and metadata. */
function isTopLevel(model: ModelClass): boolean {
  const names = new Set(model.fields.map((f) => f.jsonName));
  return names.has('apiVersion') && names.has('kind') && (names.has('metadata') || model.name.endsWith('Status'));
}

export function buildBuiltinCatalog(
  models: Map<string, ModelClass> = loadModelClasses(),
  ids: Map<string, ClassIdentity> = assignDefinitionNames(models, loadApiTypeUses()),
): BuiltinCatalog {
  const definitions = scalarDefinitions();
  const byGvk = new Map<string, string>();
  for (const [name, model] of models) {
    const id = ids.get(name);
    if (!id) continue;
    const schema = classSchema(model, id, ids, models);
    if (id.group !== undefined && isTopLevel(model) && splitClassName(name)) {
      const gvk = { group: id.group, version: id.version, kind: id.kind };
      schema['x-kubernetes-group-version-kind'] = [gvk];
      byGvk.set(gvkKey(gvk), id.definition);
    }
    definitions[id.definition] = schema;
  }
  // meta/v1 Status is served as core v1 "Status".
  const status = definitions[`${META_V1}.Status`];
  if (status) status['x-kubernetes-group-version-kind'] = [{ group: '', version: 'v1', kind: 'Status' }];
  return { definitions, byGvk };
}

let cached: BuiltinCatalog | undefined;

/** The built-in catalog, built on first call. */
export function builtinCatalog(): BuiltinCatalog {
  cached ??= buildBuiltinCatalog();
  return cached;
}

/**
 * Returns copies of the named definitions with strategic-merge extensions
 * attached to their properties (the table itself lives with the patch code).
 */
export function applyFieldExtensions(defs: Definitions, fieldExtensions: FieldExtensions | undefined): Definitions {
  if (!fieldExtensions) return defs;
  const out: Definitions = {};
  for (const [name, schema] of Object.entries(defs)) {
    if (!schema.properties) {
      out[name] = schema;
      continue;
    }
    let properties: Record<string, JsonSchema> | undefined;
    for (const [field, prop] of Object.entries(schema.properties)) {
      const ext = fieldExtensions(name, field);
      if (!ext) continue;
      properties ??= { ...schema.properties };
      const next: JsonSchema = { ...prop };
      if (ext.mergeKey !== undefined) next['x-kubernetes-patch-merge-key'] = ext.mergeKey;
      if (ext.strategy !== undefined) next['x-kubernetes-patch-strategy'] = ext.strategy;
      if (ext.listType !== undefined) next['x-kubernetes-list-type'] = ext.listType;
      if (ext.listMapKeys !== undefined) next['x-kubernetes-list-map-keys'] = [...ext.listMapKeys];
      properties[field] = next;
    }
    out[name] = properties ? { ...schema, properties } : schema;
  }
  return out;
}

/** Names of every definition reachable by $ref from `roots` (roots included). */
export function referencedDefinitions(defs: Definitions, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (s: JsonSchema | boolean | undefined): void => {
    if (s === undefined || typeof s === 'boolean') return;
    if (s.$ref) stack.push(s.$ref.slice(s.$ref.lastIndexOf('/') + 1));
    if (s.properties) for (const p of Object.values(s.properties)) visit(p);
    visit(s.items);
    visit(s.additionalProperties);
    for (const list of [s.allOf, s.oneOf, s.anyOf]) if (list) for (const x of list) visit(x);
  };
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    const def = defs[name];
    if (!def) continue;
    seen.add(name);
    visit(def);
  }
  return seen;
}
