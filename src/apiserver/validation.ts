// Defaulting and validation of objects, per kind: built-ins as upstream
// (src/api/defaults, src/api/validation), custom resources against their
// CRD's schema, and CRDs themselves.
import type { KubeObject } from '../api/meta.js';
import { applyDefaults } from '../api/defaults/index.js';
import { validate, type FieldError } from '../api/validation/index.js';
import { crdVersionInfo } from './crd/crd-info.js';
import { validateCrd } from './crd/crd-controller.js';
import { applySchemaDefaults, prune, validateCustomResource } from './crd/structural.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { ObjectValidator } from './rest/context.js';
import type { StatusCause } from './status.js';

const versionOf = (r: ResourceInfo, obj: KubeObject) => String(obj.apiVersion ?? r.version).split('/').pop()!;

const toCause = (e: FieldError): StatusCause => ({ reason: e.type, message: e.message, field: e.field });

export const objectValidator: ObjectValidator = {
  applyDefaults(r, obj) {
    if (!r.crd) {
      applyDefaults(r.group, r.kind, obj);
      return;
    }
    const schema = crdVersionInfo(r, versionOf(r, obj))?.schema;
    const pruned = prune(obj, schema) as KubeObject;
    for (const k of Object.keys(obj)) if (!(k in pruned)) delete obj[k];
    Object.assign(obj, pruned);
    applySchemaDefaults(obj, schema);
  },
  validate(r, obj, old) {
    // Kind-specific rules plus metadata rules for every kind (custom ones by their scope).
    const causes = validate(r.crd ? '' : r.group, r.crd ? '' : r.kind, obj, old, { namespaced: r.namespaced }).map(toCause);
    if (r.crd) causes.push(...validateCustomResource(obj, crdVersionInfo(r, versionOf(r, obj))?.schema));
    else if (r.group === 'apiextensions.k8s.io' && r.kind === 'CustomResourceDefinition') causes.push(...validateCrd(obj));
    return causes;
  },
};
