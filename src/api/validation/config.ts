// ConfigMap and Secret validation.

import { asObject, asString, isObject, jsonEqual } from '../json.js';
import { key } from './field-path.js';
import { forbidden, invalid, required, tooLong, type FieldError } from './field-error.js';
import { isConfigMapKey, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validateImmutable } from './common.js';

export const MaxSecretSize = 1024 * 1024;

// data values of Secrets and binaryData of ConfigMaps are base64 in JSON.
const decodedLength = (v: unknown) => Buffer.from(asString(v), 'base64').length;

function validateImmutableData(obj: Record<string, unknown>, old: Record<string, unknown>, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!jsonEqual(obj[f], old[f])) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateConfigMap(obj: unknown, old?: unknown): FieldError[] {
  const cm = asObject(obj);
  const errs = old
    ? validateObjectMetaUpdate(cm.metadata, asObject(old).metadata)
    : validateObjectMeta(cm.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  let total = 0;
  const binary = asObject(cm.binaryData);
  for (const [k, v] of Object.entries(asObject(cm.data))) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, m));
    if (Object.hasOwn(binary, k)) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(asString(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('binaryData', k), k, m));
    total += decodedLength(v);
  }
  // An empty field path: the error is about the whole object.
  if (total > MaxSecretSize) errs.push(tooLong('', MaxSecretSize));
  if (old) errs.push(...validateImmutableData(cm, asObject(old), ['data', 'binaryData']));
  return errs;
}

function validateDockerConfig(data: Record<string, unknown>, k: string): FieldError[] {
  if (!Object.hasOwn(data, k)) return [required(key('data', k), '')];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(asString(data[k]), 'base64').toString('utf8'));
    if (!isObject(parsed)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
    return [];
  } catch (e) {
    return [invalid(key('data', k), '<secret contents redacted>', e instanceof Error ? e.message : String(e))];
  }
}

export function validateSecret(obj: unknown, old?: unknown): FieldError[] {
  const secret = asObject(obj);
  const errs = old
    ? validateObjectMetaUpdate(secret.metadata, asObject(old).metadata)
    : validateObjectMeta(secret.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const data = asObject(secret.data);
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, m));
    total += decodedLength(v);
  }
  if (total > MaxSecretSize) errs.push(tooLong('data', MaxSecretSize));
  const has = (k: string) => Object.hasOwn(data, k);
  switch (secret.type) {
    case 'kubernetes.io/service-account-token': {
      const ann = asObject(asObject(secret.metadata).annotations);
      if (!asString(ann['kubernetes.io/service-account.name']))
        errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name'), ''));
      break;
    }
    case 'kubernetes.io/dockercfg':
      errs.push(...validateDockerConfig(data, '.dockercfg'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...validateDockerConfig(data, '.dockerconfigjson'));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(key('data', 'username'), ''), required(key('data', 'password'), ''));
      break;
    case 'kubernetes.io/ssh-auth':
      if (decodedLength(data['ssh-privatekey']) === 0) errs.push(required(key('data', 'ssh-privatekey'), ''));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(key('data', 'tls.crt'), ''));
      if (!has('tls.key')) errs.push(required(key('data', 'tls.key'), ''));
      break;
  }
  if (old) {
    const o = asObject(old);
    errs.push(...validateImmutable(secret.type, o.type, 'type'));
    errs.push(...validateImmutableData(secret, o, ['data']));
  }
  return errs;
}
