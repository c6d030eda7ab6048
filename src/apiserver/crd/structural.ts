// Validation and pruning of custom resources against a CRD's structural
// openAPIV3Schema, with upstream's error wording.
import type { StatusCause } from '../status.js';

export interface CrdSchema {
  type?: string;
  properties?: Record<string, CrdSchema>;
  additionalProperties?: CrdSchema | boolean;
  items?: CrdSchema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  nullable?: boolean;
  format?: string;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [k: string]: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

/** Drops fields the schema does not declare (unless it preserves unknown fields), as upstream prunes. */
export function prune(value: unknown, schema: CrdSchema | undefined, isRoot = true): unknown {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return value;
  if (Array.isArray(value)) return schema.items ? value.map((v) => prune(v, schema.items, false)) : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isRoot && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) {
      out[k] = v;
      continue;
    }
    const prop = schema.properties?.[k];
    if (prop) out[k] = prune(v, prop, false);
    else if (typeof schema.additionalProperties === 'object') out[k] = prune(v, schema.additionalProperties, false);
    else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) out[k] = v;
  }
  return out;
}

/** Fields present in `value` that the schema would prune, as dotted paths. */
export function unknownFields(value: unknown, schema: CrdSchema | undefined, path = '', isRoot = true): string[] {
  if (!schema || (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties)) return [];
  if (Array.isArray(value)) return schema.items ? value.flatMap((v, i) => unknownFields(v, schema.items, `${path}[${i}]`, false)) : [];
  if (!isPlainObject(value)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isRoot && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const p = path ? `${path}.${k}` : k;
    const prop = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (prop) out.push(...unknownFields(v, prop, p, false));
    else if (schema.additionalProperties !== true && !schema['x-kubernetes-preserve-unknown-fields']) out.push(p);
  }
  return out;
}

/** Fills in schema defaults for missing fields, as upstream defaulting does. */
export function applySchemaDefaults(value: unknown, schema: CrdSchema | undefined): void {
  if (!schema) return;
  if (Array.isArray(value) && schema.items) for (const v of value) applySchemaDefaults(v, schema.items);
  if (!isPlainObject(value)) return;
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (value[k] === undefined && prop.default !== undefined) value[k] = structuredClone(prop.default);
    applySchemaDefaults(value[k], prop);
  }
}

export function validateCustomResource(value: unknown, schema: CrdSchema | undefined, path = '', isRoot = true): StatusCause[] {
  if (!schema) return [];
  const errs: StatusCause[] = [];
  const field = path || '<root>';
  const invalid = (detail: string, v: unknown = value) => errs.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${show(v)}: ${detail}` });
  if (value === null) {
    if (!schema.nullable && schema.type) invalid(`${field} in body must be of type ${schema.type}: "null"`, null);
    return errs;
  }
  if (value === undefined) return errs;
  const t = jsonType(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (t !== 'integer' && t !== 'string') invalid(`${field} in body must be of type integer or string: "${t}"`);
  } else if (schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) {
      invalid(`${field} in body must be of type ${schema.type}: "${t}"`);
      return errs;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push({ reason: 'FieldValueNotSupported', field, message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(', ')}` });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      invalid(`${field} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`);
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      invalid(`${field} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`);
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) invalid(`${field} in body should be at least ${schema.minLength} chars long`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      errs.push({ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${schema.maxLength} bytes` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) invalid(`${field} in body should match '${schema.pattern}'`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) invalid(`${field} in body should have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errs.push({ reason: 'FieldValueTooMany', field, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
    if (schema.items) value.forEach((v, i) => errs.push(...validateCustomResource(v, schema.items, `${path}[${i}]`, false)));
  }
  if (isPlainObject(value)) {
    for (const req of schema.required ?? []) {
      if (value[req] === undefined) errs.push({ reason: 'FieldValueRequired', field: path ? `${path}.${req}` : req, message: 'Required value' });
    }
    const n = Object.keys(value).length;
    if (schema.minProperties !== undefined && n < schema.minProperties) invalid(`${field} in body should have at least ${schema.minProperties} properties`);
    if (schema.maxProperties !== undefined && n > schema.maxProperties) invalid(`${field} in body should have at most ${schema.maxProperties} properties`);
    for (const [k, v] of Object.entries(value)) {
      if (isRoot && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const p = path ? `${path}.${k}` : k;
      const prop = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (prop) errs.push(...validateCustomResource(v, prop, p, false));
    }
  }
  return errs;
}
