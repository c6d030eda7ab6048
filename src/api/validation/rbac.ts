// Validation for rbac.authorization.k8s.io: roles and bindings.

import { asArray, asObject, asString, isObject, jsonEqual, objectsIn, type JsonObject } from '../json.js';
import { child, index } from './field-path.js';
import { invalid, notSupported, required, type FieldError } from './field-error.js';
import { GoLiteral, goQuote } from './go-format.js';
import { nameIsDNSSubdomain, nameIsPathSegment } from './names.js';
import { metaErrors } from './core-misc.js';

const rbacGroup = 'rbac.authorization.k8s.io';

function validatePolicyRules(rules: unknown, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(rules).forEach((rule, i) => {
    const p = index('rules', i);
    if (asArray(rule.verbs).length === 0) errs.push(required(child(p, 'verbs'), 'verbs must contain at least one value'));
    const urls = asArray(rule.nonResourceURLs).map(asString);
    if (urls.length > 0) {
      if (namespaced) errs.push(invalid(child(p, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (asArray(rule.apiGroups).length || asArray(rule.resources).length || asArray(rule.resourceNames).length)
        errs.push(invalid(child(p, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      return;
    }
    if (asArray(rule.apiGroups).length === 0) errs.push(required(child(p, 'apiGroups'), 'resource rules must supply at least one api group'));
    if (asArray(rule.resources).length === 0) errs.push(required(child(p, 'resources'), 'resource rules must supply at least one resource'));
  });
  return errs;
}

export function validateRole(obj: unknown, old?: unknown): FieldError[] {
  const role = asObject(obj);
  return [...metaErrors(role, old, { namespaced: true, nameFn: nameIsPathSegment }), ...validatePolicyRules(role.rules, true)];
}

export function validateClusterRole(obj: unknown, old?: unknown): FieldError[] {
  const role = asObject(obj);
  const errs = metaErrors(role, old, { namespaced: false, nameFn: nameIsPathSegment });
  // Aggregated roles get their rules from the controller.
  if (!isObject(role.aggregationRule)) errs.push(...validatePolicyRules(role.rules, false));
  else if (asArray(role.aggregationRule.clusterRoleSelectors).length === 0)
    errs.push(required('aggregationRule.clusterRoleSelectors', ''));
  return errs;
}

function validateSubject(s: JsonObject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(s.name);
  if (!name) errs.push(required(child(path, 'name'), ''));
  const apiGroup = asString(s.apiGroup);
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) errs.push(...nameIsDNSSubdomain(name, false).map((m) => invalid(child(path, 'name'), name, m)));
      if (apiGroup) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && !asString(s.namespace)) errs.push(required(child(path, 'namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== rbacGroup) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [rbacGroup]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), asString(s.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

const roleRefLiteral = (r: JsonObject) =>
  new GoLiteral(`rbac.RoleRef{APIGroup:${goQuote(asString(r.apiGroup))}, Kind:${goQuote(asString(r.kind))}, Name:${goQuote(asString(r.name))}}`);

function validateBinding(obj: unknown, old: unknown, namespaced: boolean): FieldError[] {
  const rb = asObject(obj);
  const errs = metaErrors(rb, old, { namespaced, nameFn: nameIsPathSegment });
  const ref = asObject(rb.roleRef);
  if (ref.apiGroup !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', asString(ref.apiGroup), [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(asString(ref.kind))) errs.push(notSupported('roleRef.kind', asString(ref.kind), kinds));
  const name = asString(ref.name);
  if (!name) errs.push(required('roleRef.name', ''));
  else errs.push(...nameIsPathSegment(name, false).map((m) => invalid('roleRef.name', name, m)));
  objectsIn(rb.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, index('subjects', i))));
  if (old) {
    const oldRef = asObject(asObject(old).roleRef);
    if (!jsonEqual(ref, oldRef)) errs.push(invalid('roleRef', roleRefLiteral(ref), 'cannot change roleRef'));
  }
  return errs;
}

export const validateRoleBinding = (obj: unknown, old?: unknown) => validateBinding(obj, old, true);
export const validateClusterRoleBinding = (obj: unknown, old?: unknown) => validateBinding(obj, old, false);

