// Server-side field validation (the fieldValidation query parameter):
// unknown fields are errors under Strict, warnings under Warn and ignored
// under Ignore; values of the wrong JSON type are decoding errors in every
// mode, as upstream's decoder fails on them before validation runs.
import { builtinCatalog, gvkKey } from './builtin-definitions.js';
import { DEFINITION_REF_PREFIX_V3, type Definitions, type GroupVersionKind, type JsonSchema } from './schema-types.js';
import { isObject } from '../json.js';

export type FieldValidationMode = 'Strict' | 'Warn' | 'Ignore';

export interface FieldError {
  reason: 'FieldValueInvalid' | 'FieldValueTypeInvalid';
  /** "unknown": field not in the schema; "type": value of the wrong JSON type. */
  type: 'unknown' | 'type';
  /** Path in upstream notation: spec.template.spec.containers[0].foo */
  field: string;
  message: string;
}

export interface ValidationResult {
  errors: FieldError[];
  warnings: string[];
}

export interface ValidateOptions {
  /** Definitions to resolve against (e.g. with CRD schemas added); default: the built-ins. */
  definitions?: Definitions;
  /**
   * "decode" (create/update/patch): `unknown field "spec.foo"`;
   * "apply" (server-side apply): `.spec.foo: field not declared in schema`.
   */
  style?: 'decode' | 'apply';
}

export class SchemaNotFoundError extends Error {
  constructor(readonly target: string) {
    super(`no schema for ${target}`);
    this.name = 'SchemaNotFoundError';
  }
}

function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function refName(ref: string): string {
  return ref.startsWith(DEFINITION_REF_PREFIX_V3) ? ref.slice(DEFINITION_REF_PREFIX_V3.length) : ref.slice(ref.lastIndexOf('/') + 1);
}

/** "io.k8s.api.apps.v1.DeploymentSpec" -> "v1.DeploymentSpec", as Go prints the type. */
function goTypeOfDefinition(name: string): string {
  const parts = name.split('.');
  return parts.slice(-2).join('.');
}

function definitionKind(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

interface Resolved {
  schema: JsonSchema;
  /** Definition the schema came from, when it was a $ref. */
  definition?: string;
}

export function resolveTarget(target: string | GroupVersionKind, defs: Definitions): string {
  if (typeof target === 'string') {
    if (defs[target]) return target;
    throw new SchemaNotFoundError(target);
  }
  const key = gvkKey(target);
  const fromCatalog = defs === builtinCatalog().definitions ? builtinCatalog().byGvk.get(key) : undefined;
  if (fromCatalog) return fromCatalog;
  for (const [name, schema] of Object.entries(defs)) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (gvks?.some((g) => g.group === target.group && g.version === target.version && g.kind === target.kind)) return name;
  }
  throw new SchemaNotFoundError(key);
}

const resolvedCache = new WeakMap<Definitions, WeakMap<JsonSchema, Map<string | undefined, Resolved>>>();

/**
 * What the walk below looks at: every key, and the JSON type of every value
 * (integers apart from other numbers), never the values themselves. Two
 * objects with the same type shape get the same result.
 */
export function typeShapeOf(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  switch (typeof v) {
    case 'string':
      return 's';
    case 'boolean':
      return 'b';
    case 'number':
      return Number.isInteger(v) ? 'i' : 'f';
    case 'object':
      break;
    default:
      return '?';
  }
  let out: string;
  if (Array.isArray(v)) {
    out = '[';
    for (const x of v) out += `${typeShapeOf(x)},`;
    return `${out}]`;
  }
  out = '{';
  for (const k in v as Record<string, unknown>) out += `${JSON.stringify(k)}:${typeShapeOf((v as Record<string, unknown>)[k])},`;
  return `${out}}`;
}

/** Type shapes that validated clean, per definitions, target, mode and style (bounded, oldest out first). */
const cleanShapes = new WeakMap<Definitions, Map<string, true>>();
const CLEAN_SHAPES_MAX = 4096;

export function validateAgainstSchema(
  gvkOrDefinitionName: string | GroupVersionKind,
  obj: unknown,
  mode: FieldValidationMode,
  options: ValidateOptions = {},
): ValidationResult {
  const defs = options.definitions ?? builtinCatalog().definitions;
  const style = options.style ?? 'decode';
  const rootName = resolveTarget(gvkOrDefinitionName, defs);
  // Most writes repeat a shape already seen (a controller's pods, a kubelet's status): a clean one is
  // clean again. Only against the built-in definitions, which never change; given ones might.
  if (options.definitions) return validateWalk(rootName, obj, mode, style, defs);
  let clean = cleanShapes.get(defs);
  if (!clean) cleanShapes.set(defs, (clean = new Map()));
  const shapeKey = `${rootName}\u0000${mode}\u0000${style}\u0000${typeShapeOf(obj)}`;
  if (clean.has(shapeKey)) return { errors: [], warnings: [] };
  const result = validateWalk(rootName, obj, mode, style, defs);
  if (result.errors.length === 0 && result.warnings.length === 0) {
    if (clean.size >= CLEAN_SHAPES_MAX) clean.delete(clean.keys().next().value!);
    clean.set(shapeKey, true);
  }
  return result;
}

function validateWalk(rootName: string, obj: unknown, mode: FieldValidationMode, style: 'decode' | 'apply', defs: Definitions): ValidationResult {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  let decodeFailed = false;

  // Resolving $refs and allOf is pure per (definitions, schema node): memoized across calls.
  let memo = resolvedCache.get(defs);
  if (!memo) resolvedCache.set(defs, (memo = new WeakMap()));
  const cache = memo;
  const resolve = (schema: JsonSchema, definition?: string): Resolved => {
    const hit = cache.get(schema)?.get(definition);
    if (hit) return hit;
    const out = resolveUncached(schema, definition);
    let byDef = cache.get(schema);
    if (!byDef) cache.set(schema, (byDef = new Map()));
    byDef.set(definition, out);
    return out;
  };
  const resolveUncached = (schema: JsonSchema, definition?: string): Resolved => {
    let s = schema;
    let def = definition;
    for (let depth = 0; s.$ref !== undefined && depth < 32; depth++) {
      def = refName(s.$ref);
      const next = defs[def];
      if (!next) return { schema: { 'x-kubernetes-preserve-unknown-fields': true } };
      s = next;
    }
    if (s.allOf && s.allOf.length > 0) {
      // allOf: the members' constraints together (upstream wraps described $refs this way).
      const own: JsonSchema = { ...s };
      delete own.allOf;
      let merged: JsonSchema = {};
      for (const member of [...s.allOf, own]) {
        const r = resolve(member, def);
        if (r.definition !== undefined && member !== own) def = r.definition;
        const props = { ...(merged.properties ?? {}), ...(r.schema.properties ?? {}) };
        merged = { ...merged, ...r.schema, type: merged.type ?? r.schema.type };
        if (Object.keys(props).length > 0) merged.properties = props;
        if (merged.type === undefined) delete merged.type;
      }
      s = merged;
    }
    return def !== undefined ? { schema: s, definition: def } : { schema: s };
  };

  const goType = (schema: JsonSchema): string => {
    const { schema: s, definition } = resolve(schema);
    if (s['x-kubernetes-int-or-string']) return definition ? goTypeOfDefinition(definition) : 'intstr.IntOrString';
    switch (s.type) {
      case 'string':
        return 'string';
      case 'boolean':
        return 'bool';
      case 'integer':
        return s.format === 'int32' ? 'int32' : 'int64';
      case 'number':
        return 'float64';
      case 'array':
        return `[]${s.items ? goType(s.items) : 'interface {}'}`;
      case 'object':
        if (definition) return goTypeOfDefinition(definition);
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return `map[string]${goType(s.additionalProperties)}`;
        }
        return 'map[string]interface {}';
      default:
        return 'interface {}';
    }
  };

  const typeError = (path: string, value: unknown, schema: JsonSchema, parentStruct: string): void => {
    if (decodeFailed) return; // the decoder stops at the first one
    decodeFailed = true;
    const message =
      style === 'apply'
        ? `.${path}: expected ${goType(schema)}, got ${jsonTypeName(value)}`
        : `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${parentStruct}.${path} of type ${goType(schema)}`;
    errors.push({ reason: 'FieldValueTypeInvalid', type: 'type', field: path, message });
  };

  const unknownField = (path: string): void => {
    if (mode === 'Ignore') return;
    const message = style === 'apply' ? `.${path}: field not declared in schema` : `unknown field "${path}"`;
    if (mode === 'Strict') errors.push({ reason: 'FieldValueInvalid', type: 'unknown', field: path, message });
    else warnings.push(message);
  };

  const walk = (value: unknown, schema: JsonSchema, path: string, parentStruct: string): void => {
    if (value === null || value === undefined) return; // null decodes to the zero value
    const { schema: s, definition } = resolve(schema);
    const struct = definition ? definitionKind(definition) : parentStruct;
    if (s['x-kubernetes-int-or-string']) {
      if (typeof value !== 'string' && typeof value !== 'number') typeError(path, value, schema, parentStruct);
      return;
    }
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    switch (s.type) {
      case 'string':
        if (typeof value !== 'string') typeError(path, value, schema, parentStruct);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') typeError(path, value, schema, parentStruct);
        return;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) typeError(path, value, schema, parentStruct);
        return;
      case 'number':
        if (typeof value !== 'number') typeError(path, value, schema, parentStruct);
        return;
      case 'array':
        if (!Array.isArray(value)) {
          typeError(path, value, schema, parentStruct);
          return;
        }
        if (s.items) value.forEach((v, n) => walk(v, s.items as JsonSchema, `${path}[${n}]`, struct));
        return;
      case 'object':
      case undefined: {
        if (s.type === undefined && !s.properties && !s.additionalProperties) return; // untyped: anything goes
        if (!isObject(value)) {
          typeError(path, value, schema, parentStruct);
          return;
        }
        const props = s.properties ?? {};
        const additional = s.additionalProperties;
        const freeForm = !s.properties && additional === undefined;
        for (const [key, v] of Object.entries(value)) {
          const child = path === '' ? key : `${path}.${key}`;
          const prop = props[key];
          if (prop) walk(v, prop, child, struct);
          else if (additional && typeof additional === 'object') walk(v, additional, child, struct);
          else if (!preserve && !freeForm && additional !== true) unknownField(child);
        }
        return;
      }
    }
  };

  walk(obj, { $ref: DEFINITION_REF_PREFIX_V3 + rootName }, '', definitionKind(rootName));
  // Upstream reports the decoding error alone when there is one.
  if (decodeFailed) return { errors: errors.filter((e) => e.type === 'type'), warnings: [] };
  return { errors, warnings };
}

/**
 * The upstream message of a failed decode, for a 400 BadRequest Status:
 * `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"`
 * `duplicateFields` are paths from findDuplicateJsonFields (Strict only).
 */
export function decodeFailureMessage(gvk: GroupVersionKind, errors: FieldError[], duplicateFields: string[] = []): string | undefined {
  const prefix = `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: `;
  const typeError = errors.find((e) => e.type === 'type');
  if (typeError) return prefix + typeError.message;
  const strict = [
    ...errors.filter((e) => e.type === 'unknown').map((e) => `unknown field "${e.field}"`),
    ...duplicateFields.map((d) => `duplicate field "${d}"`),
  ];
  return strict.length > 0 ? `${prefix}strict decoding error: ${strict.join(', ')}` : undefined;
}
