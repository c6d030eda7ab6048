// Defaulting and validation of objects, per kind. Metadata rules apply to
// every kind; kind-specific rules come from src/api/validation.
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { ObjectValidator } from './rest/context.js';
import type { StatusCause } from './status.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function metadataCauses(r: ResourceInfo, obj: KubeObject): StatusCause[] {
  const name = obj.metadata.name ?? '';
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [{
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    }];
  }
  void r;
  return [];
}

export const objectValidator: ObjectValidator = {
  applyDefaults() {},
  validate(r, obj) {
    return metadataCauses(r, obj);
  },
};
