// metadata validation for every kind (upstream's ValidateObjectMeta and
// ValidateObjectMetaUpdate).

import { asArray, asObject, asString, isObject } from '../json.js';
import { child } from './field-path.js';
import { forbidden, invalid, required, type FieldError } from './field-error.js';
import { GoLiteral, goQuote } from './go-format.js';
import { isDNS1123Label, isQualifiedName, type NameFn } from './names.js';
import { validateImmutable, validateLabels, validateNonnegative } from './common.js';
import { validateAnnotationsOnly } from './annotations.js';

export { TotalAnnotationSizeLimitB } from './annotations.js';

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameFn: NameFn;
}

const validateAnnotations = validateAnnotationsOnly;

function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const raw of asArray(refs)) {
    const ref = asObject(raw);
    const apiVersion = asString(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (!version || apiVersion.split('/').length > 2) errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!asString(ref.kind)) errs.push(invalid(child(path, 'kind'), asString(ref.kind), 'must not be empty'));
    if (!asString(ref.name)) errs.push(invalid(child(path, 'name'), asString(ref.name), 'must not be empty'));
    if (!asString(ref.uid)) errs.push(invalid(child(path, 'uid'), asString(ref.uid), 'must not be empty'));
    if (group === '' && version === 'v1' && ref.kind === 'Event')
      errs.push(invalid(path, new GoLiteral(ownerRefLiteral(ref)), '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const cur = `${asString(ref.kind)}/${asString(ref.name)}`;
      if (firstController)
        errs.push(
          invalid(
            path,
            new GoLiteral('[]v1.OwnerReference{...}'),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      else firstController = cur;
    }
  }
  return errs;
}

const ownerRefLiteral = (ref: Record<string, unknown>) =>
  `v1.OwnerReference{APIVersion:${goQuote(asString(ref.apiVersion))}, Kind:${goQuote(asString(ref.kind))}, Name:${goQuote(asString(ref.name))}, UID:${goQuote(asString(ref.uid))}}`;

function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const list = asArray(finalizers).map(asString);
  const errs: FieldError[] = [];
  for (const f of list) for (const m of isQualifiedName(f)) errs.push(invalid(path, f, m));
  if (list.includes('orphan') && list.includes('foregroundDeletion'))
    errs.push(invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

/** Validates metadata on create (and, via validateObjectMetaUpdate, on update). */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const m = asObject(meta);
  const errs: FieldError[] = [];
  const generateName = asString(m.generateName);
  if (generateName) for (const msg of opts.nameFn(generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, msg));
  const name = asString(m.name);
  if (!name) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of opts.nameFn(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  const namespace = asString(m.namespace);
  if (opts.namespaced) {
    if (!namespace) errs.push(required(child(path, 'namespace'), ''));
    else for (const msg of isDNS1123Label(namespace)) errs.push(invalid(child(path, 'namespace'), namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(m.generation, child(path, 'generation')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  return errs;
}

/** metadata checks on update: identity fields are immutable, the rest as on create. */
export function validateObjectMetaUpdate(meta: unknown, oldMeta: unknown, path = 'metadata'): FieldError[] {
  const m = asObject(meta);
  const o = asObject(oldMeta);
  const errs: FieldError[] = [];
  errs.push(...validateImmutable(asString(m.name), asString(o.name), child(path, 'name')));
  errs.push(...validateImmutable(asString(m.namespace), asString(o.namespace), child(path, 'namespace')));
  errs.push(...validateImmutable(asString(m.uid), asString(o.uid), child(path, 'uid')));
  if (isObject(o) && o.creationTimestamp !== undefined)
    errs.push(...validateImmutable(m.creationTimestamp, o.creationTimestamp, child(path, 'creationTimestamp')));
  errs.push(...validateNonnegative(m.generation, child(path, 'generation')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  return errs;
}
