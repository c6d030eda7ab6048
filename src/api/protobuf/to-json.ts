// Turns a decoded protobufjs message into the JSON the Kubernetes JSON API carries.
import protobuf from 'protobufjs';
import { isZeroSpecial, specialType, toNumber, type JsonRecord } from './special-types.js';

function isPointer(field: protobuf.Field): boolean {
  return field.options?.['proto3_optional'] === true;
}

function isInline(field: protobuf.Field): boolean {
  return field.options?.['(inline)'] === true;
}

function alwaysEmitted(field: protobuf.Field): boolean {
  return field.options?.['(keep)'] === true;
}

function scalarToJson(type: string, value: unknown): unknown {
  switch (type) {
    case 'bytes':
      return Buffer.from(value instanceof Uint8Array ? value : new Uint8Array(0)).toString('base64');
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return toNumber(value);
    default:
      return value;
  }
}

function isZeroScalar(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && 'isZero' in value && typeof value.isZero === 'function' && value.isZero() === true;
}

/** JSON of one value of a field's type (an element, for repeated and map fields). */
function valueToJson(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const record = (value ?? {}) as JsonRecord;
    const special = specialType(resolved.fullName);
    return special ? special.toJson(record) : messageToJson(resolved, record);
  }
  return scalarToJson(field.type, value);
}

/** The field's JSON value, or undefined when Go's JSON would omit it. */
function fieldToJson(field: protobuf.Field, msg: JsonRecord): unknown {
  const value = msg[field.name];
  if (field instanceof protobuf.MapField) {
    const entries = Object.entries((value ?? {}) as JsonRecord);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, valueToJson(field, v)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    return value.map((v: unknown) => valueToJson(field, v));
  }
  // A decoded message owns the fields that were on the wire; the rest are prototype defaults.
  if (value === undefined || value === null || !Object.hasOwn(msg, field.name)) return undefined;
  const pointer = isPointer(field);
  const json = valueToJson(field, value);
  if (field.resolvedType instanceof protobuf.Type) {
    // Value structs are always on the wire; special types still follow omitempty.
    if (specialType(field.resolvedType.fullName) && !pointer && isZeroSpecial(json)) return undefined;
    return json;
  }
  if (!pointer && !alwaysEmitted(field) && isZeroScalar(value)) return undefined;
  return json;
}

export function messageToJson(type: protobuf.Type, msg: JsonRecord): JsonRecord {
  const out: JsonRecord = {};
  for (const field of type.fieldsArray) {
    const json = fieldToJson(field, msg);
    if (json === undefined) continue;
    if (isInline(field) && typeof json === 'object' && json !== null) Object.assign(out, json);
    else out[field.name] = json;
  }
  return out;
}
