// Defaulting and validation of objects, per kind: custom resources against
// their CRD's schema, CRDs themselves, and metadata rules for every kind.
import type { KubeObject } from '../api/meta.js';
import { crdVersionInfo } from './crd/crd-info.js';
import { validateCrd } from './crd/crd-controller.js';
import { applySchemaDefaults, prune, validateCustomResource } from './crd/structural.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { ObjectValidator } from './rest/context.js';
import type { StatusCause } from './status.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function metadataCauses(obj: KubeObject): StatusCause[] {
  const name = obj.metadata.name ?? '';
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [{
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    }];
  }
  return [];
}

const versionOf = (r: ResourceInfo, obj: KubeObject) => String(obj.apiVersion ?? r.version).split('/').pop()!;

export const objectValidator: ObjectValidator = {
  applyDefaults(r, obj) {
    if (!r.crd) return;
    const schema = crdVersionInfo(r, versionOf(r, obj))?.schema;
    const pruned = prune(obj, schema) as KubeObject;
    for (const k of Object.keys(obj)) if (!(k in pruned)) delete obj[k];
    Object.assign(obj, pruned);
    applySchemaDefaults(obj, schema);
  },
  validate(r, obj) {
    const causes = metadataCauses(obj);
    if (r.crd) causes.push(...validateCustomResource(obj, crdVersionInfo(r, versionOf(r, obj))?.schema));
    else if (r.group === 'apiextensions.k8s.io' && r.kind === 'CustomResourceDefinition') causes.push(...validateCrd(obj));
    return causes;
  },
};
