// Turns Kubernetes JSON into a plain object protobufjs can encode (the reverse of to-json.ts).
import protobuf from 'protobufjs';
import { specialType, type JsonRecord } from './special-types.js';

function asRecord(value: unknown, where: string): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: expected an object, got ${JSON.stringify(value)}`);
  }
  return value as JsonRecord;
}

function valueFromJson(field: protobuf.Field, value: unknown, where: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const special = specialType(resolved.fullName);
    return special ? special.fromJson(value, where) : jsonToMessage(resolved, asRecord(value, where), where);
  }
  if (field.type === 'bytes' && typeof value === 'string') return Buffer.from(value, 'base64');
  return value;
}

/** Plain object for `type.fromObject`; JSON fields the schema does not know are dropped. */
export function jsonToMessage(type: protobuf.Type, json: JsonRecord, where = type.name): JsonRecord {
  const out: JsonRecord = {};
  for (const field of type.fieldsArray) {
    const at = `${where}.${field.name}`;
    if (field.options?.['(inline)'] === true && field.resolvedType instanceof protobuf.Type) {
      out[field.name] = jsonToMessage(field.resolvedType, json, where);
      continue;
    }
    const value = json[field.name];
    if (value === undefined || value === null) continue;
    if (field instanceof protobuf.MapField) {
      out[field.name] = Object.fromEntries(
        Object.entries(asRecord(value, at)).map(([k, v]) => [k, valueFromJson(field, v, `${at}[${k}]`)]),
      );
    } else if (field.repeated) {
      if (!Array.isArray(value)) throw new TypeError(`${at}: expected an array`);
      out[field.name] = value.map((v: unknown, i) => valueFromJson(field, v, `${at}[${i}]`));
    } else {
      out[field.name] = valueFromJson(field, value, at);
    }
  }
  return out;
}
