// Validation for networking, coordination, scheduling, rbac, discovery,
// storage and autoscaling kinds.

import { isIP } from 'node:net';
import { asArray, asObject, asString, isObject, jsonEqual, objectsIn, type JsonObject } from '../json.js';
import { child, index } from './field-path.js';
import { duplicate, forbidden, invalid, notSupported, required, tooMany, type FieldError } from './field-error.js';
import { GoLiteral, goQuote } from './go-format.js';
import {
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  nameIsPathSegment,
} from './names.js';
import { validateImmutable, validateLabelSelector, validateProtocol, validateQualifiedName, validateDNS1123Label } from './common.js';
import { isCIDR, metaErrors } from './core-misc.js';

// ---- networking.k8s.io

function validateIngressBackend(b: JsonObject, path: string): FieldError[] {
  const hasResource = isObject(b.resource);
  const hasService = isObject(b.service);
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = asObject(b.resource);
    const errs: FieldError[] = [];
    if (!asString(r.kind)) errs.push(required(child(path, 'resource', 'kind'), ''));
    if (!asString(r.name)) errs.push(required(child(path, 'resource', 'name'), ''));
    return errs;
  }
  if (!hasService) return [invalid(path, '', 'resource or service backend is required')];
  const svc = asObject(b.service);
  const errs: FieldError[] = [];
  const name = asString(svc.name);
  if (!name) errs.push(required(child(path, 'service', 'name'), ''));
  else errs.push(...nameIsDNS1035Label(name, false).map((m) => invalid(child(path, 'service', 'name'), name, m)));
  const port = asObject(svc.port);
  const portName = asString(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) errs.push(...isValidPortName(portName).map((m) => invalid(child(path, 'service', 'port', 'name'), portName, m)));
  else if (portNumber) errs.push(...isValidPortNum(portNumber).map((m) => invalid(child(path, 'service', 'port', 'number'), portNumber, m)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngressPath(p: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const pt = p.pathType;
  const text = asString(p.path);
  if (pt == null) return [required(child(path, 'pathType'), 'pathType must be specified')];
  if (pt === 'Exact' || pt === 'Prefix') {
    if (!text.startsWith('/')) errs.push(invalid(child(path, 'path'), text, 'must be an absolute path'));
    for (const seq of ['//', '/./', '/../', '%2f', '%2F'])
      if (text.includes(seq)) errs.push(invalid(child(path, 'path'), text, `must not contain '${seq}'`));
    for (const suf of ['/..', '/.']) if (text.endsWith(suf)) errs.push(invalid(child(path, 'path'), text, `cannot end with '${suf}'`));
  } else if (pt === 'ImplementationSpecific') {
    if (text && !text.startsWith('/')) errs.push(invalid(child(path, 'path'), text, 'must be an absolute path'));
  } else {
    errs.push(notSupported(child(path, 'pathType'), pt, pathTypes));
  }
  errs.push(...validateIngressBackend(asObject(p.backend), child(path, 'backend')));
  return errs;
}

function validateIngressHost(host: string, path: string): FieldError[] {
  if (!host) return [];
  if (isIP(host)) return [invalid(path, host, 'must be a DNS name, not an IP address')];
  if (host.includes('*')) {
    const rest = host.startsWith('*.') ? host.slice(2) : '';
    if (!rest || isDNS1123Subdomain(rest).length)
      return [
        invalid(
          path,
          host,
          "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
      ];
    return [];
  }
  return isDNS1123Subdomain(host).map((m) => invalid(path, host, m));
}

export function validateIngress(obj: unknown, old?: unknown): FieldError[] {
  const ing = asObject(obj);
  const errs = metaErrors(ing, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = asObject(ing.spec);
  const rules = objectsIn(spec.rules);
  if (rules.length === 0 && !isObject(spec.defaultBackend))
    errs.push(invalid('spec', new GoLiteral('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  if (isObject(spec.defaultBackend)) errs.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const rp = index('spec.rules', i);
    errs.push(...validateIngressHost(asString(rule.host), child(rp, 'host')));
    if (isObject(rule.http)) {
      const paths = objectsIn(rule.http.paths);
      if (paths.length === 0) errs.push(required(child(rp, 'http', 'paths'), ''));
      paths.forEach((p, j) => errs.push(...validateIngressPath(p, index(child(rp, 'http', 'paths'), j))));
    }
  });
  objectsIn(spec.tls).forEach((tls, i) => {
    asArray(tls.hosts).forEach((h, j) => errs.push(...validateIngressHost(asString(h), index(child(index('spec.tls', i), 'hosts'), j))));
  });
  if (typeof spec.ingressClassName === 'string')
    errs.push(...nameIsDNSSubdomain(spec.ingressClassName, false).map((m) => invalid('spec.ingressClassName', spec.ingressClassName, m)));
  return errs;
}

export function validateIngressClass(obj: unknown, old?: unknown): FieldError[] {
  const ic = asObject(obj);
  const errs = metaErrors(ic, old, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const controller = asString(asObject(ic.spec).controller);
  if (!controller) errs.push(required('spec.controller', ''));
  if (old) errs.push(...validateImmutable(controller, asString(asObject(asObject(old).spec).controller), 'spec.controller'));
  return errs;
}

function validateNetworkPolicyPeer(peer: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  if (isObject(peer.podSelector)) {
    count++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (isObject(peer.namespaceSelector)) {
    count++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (isObject(peer.ipBlock)) {
    count++;
    const cidr = asString(peer.ipBlock.cidr);
    if (!cidr) errs.push(required(child(path, 'ipBlock', 'cidr'), ''));
    else if (!isCIDR(cidr)) errs.push(invalid(child(path, 'ipBlock', 'cidr'), cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  }
  if (count === 0) errs.push(required(path, 'must specify a peer'));
  else if (isObject(peer.ipBlock) && count > 1) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(obj: unknown, old?: unknown): FieldError[] {
  const np = asObject(obj);
  const errs = metaErrors(np, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = asObject(np.spec);
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  for (const dir of ['ingress', 'egress'] as const) {
    objectsIn(spec[dir]).forEach((rule, i) => {
      const rp = index(child('spec', dir), i);
      objectsIn(rule.ports).forEach((port, j) => {
        const pp = index(child(rp, 'ports'), j);
        if (port.protocol != null) errs.push(...validateProtocol(port.protocol, child(pp, 'protocol')));
        if (typeof port.port === 'number') errs.push(...isValidPortNum(port.port).map((m) => invalid(child(pp, 'port'), port.port, m)));
        else if (typeof port.port === 'string') errs.push(...isValidPortName(port.port).map((m) => invalid(child(pp, 'port'), port.port, m)));
      });
      const peers = dir === 'ingress' ? rule.from : rule.to;
      objectsIn(peers).forEach((peer, j) => errs.push(...validateNetworkPolicyPeer(peer, index(child(rp, dir === 'ingress' ? 'from' : 'to'), j))));
    });
  }
  const types = asArray(spec.policyTypes).map(asString);
  if (types.length > 2) errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  else types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(index('spec.policyTypes', i), t, ['Ingress', 'Egress']));
  });
  return errs;
}

// ---- coordination.k8s.io

export function validateLease(obj: unknown, old?: unknown): FieldError[] {
  const lease = asObject(obj);
  const errs = metaErrors(lease, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = asObject(lease.spec);
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0)
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0)
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}

// ---- scheduling.k8s.io

const systemPriorityClasses: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const HighestUserDefinablePriority = 1000000000;

export function validatePriorityClass(obj: unknown, old?: unknown): FieldError[] {
  const pc = asObject(obj);
  const errs = metaErrors(pc, old, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const name = asString(asObject(pc.metadata).name);
  const value = typeof pc.value === 'number' ? pc.value : 0;
  if (name.startsWith('system-')) {
    const known = systemPriorityClasses[name];
    const why =
      known === undefined
        ? `${name} is not a known system priority class`
        : known !== value
          ? `value of ${name} PriorityClass must be ${known}`
          : pc.globalDefault === true
            ? `globalDefault of ${name} PriorityClass must be false`
            : '';
    if (why) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HighestUserDefinablePriority) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HighestUserDefinablePriority}`));
  }
  const pp = pc.preemptionPolicy;
  if (pp != null && pp !== 'PreemptLowerPriority' && pp !== 'Never')
    errs.push(notSupported('preemptionPolicy', pp, ['Never', 'PreemptLowerPriority']));
  if (old) {
    const o = asObject(old);
    if (o.value !== pc.value) errs.push(forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutable(pc.preemptionPolicy, o.preemptionPolicy, 'preemptionPolicy'));
  }
  return errs;
}

// ---- rbac.authorization.k8s.io

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

// ---- discovery.k8s.io

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(obj: unknown, old?: unknown): FieldError[] {
  const es = asObject(obj);
  const errs = metaErrors(es, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const at = asString(es.addressType);
  if (!at) errs.push(required('addressType', ''));
  else if (!addressTypes.includes(at)) errs.push(notSupported('addressType', at, addressTypes));
  const endpoints = objectsIn(es.endpoints);
  if (endpoints.length > 1000) errs.push(tooMany('endpoints', endpoints.length, 1000));
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrs = asArray(ep.addresses).map(asString);
    if (addrs.length === 0) errs.push(required(child(p, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(tooMany(child(p, 'addresses'), addrs.length, 100));
    addrs.forEach((a, j) => {
      const ap = index(child(p, 'addresses'), j);
      if (at === 'IPv4' && isIP(a) !== 4) errs.push(invalid(ap, a, 'must be a valid IPv4 address'));
      if (at === 'IPv6' && isIP(a) !== 6) errs.push(invalid(ap, a, 'must be a valid IPv6 address'));
      if (at === 'FQDN') errs.push(...isDNS1123Subdomain(a).map((m) => invalid(ap, a, m)));
    });
    if (typeof ep.hostname === 'string') errs.push(...validateDNS1123Label(ep.hostname, child(p, 'hostname')));
    if (typeof ep.nodeName === 'string')
      errs.push(...nameIsDNSSubdomain(ep.nodeName, false).map((m) => invalid(child(p, 'nodeName'), ep.nodeName, m)));
  });
  const names = new Set<string>();
  objectsIn(es.ports).forEach((port, i) => {
    const p = index('ports', i);
    const name = asString(port.name);
    if (name) errs.push(...validateDNS1123Label(name, child(p, 'name')));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    names.add(name);
    if (port.protocol != null) errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
    if (typeof port.appProtocol === 'string') errs.push(...validateQualifiedName(port.appProtocol, child(p, 'appProtocol')));
  });
  if (old) errs.push(...validateImmutable(at, asString(asObject(old).addressType), 'addressType'));
  return errs;
}

// ---- storage.k8s.io

export function validateStorageClass(obj: unknown, old?: unknown): FieldError[] {
  const sc = asObject(obj);
  const errs = metaErrors(sc, old, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const prov = asString(sc.provisioner);
  if (!prov) errs.push(required('provisioner', ''));
  else errs.push(...validateQualifiedName(prov.toLowerCase(), 'provisioner'));
  const rp = asString(sc.reclaimPolicy);
  if (rp && rp !== 'Delete' && rp !== 'Retain') errs.push(notSupported('reclaimPolicy', rp, ['Delete', 'Retain']));
  const vbm = sc.volumeBindingMode;
  if (vbm == null) errs.push(required('volumeBindingMode', ''));
  else if (vbm !== 'Immediate' && vbm !== 'WaitForFirstConsumer')
    errs.push(notSupported('volumeBindingMode', vbm, ['Immediate', 'WaitForFirstConsumer']));
  if (old) {
    const o = asObject(old);
    if (!jsonEqual(sc.parameters, o.parameters)) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (prov !== asString(o.provisioner)) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (sc.reclaimPolicy !== o.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    errs.push(...validateImmutable(vbm, o.volumeBindingMode, 'volumeBindingMode'));
  }
  return errs;
}

// ---- autoscaling

export function validateHorizontalPodAutoscaler(obj: unknown, old?: unknown): FieldError[] {
  const hpa = asObject(obj);
  const errs = metaErrors(hpa, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = asObject(hpa.spec);
  const ref = asObject(spec.scaleTargetRef);
  if (!asString(ref.kind)) errs.push(required('spec.scaleTargetRef.kind', ''));
  else errs.push(...nameIsPathSegment(asString(ref.kind), false).map((m) => invalid('spec.scaleTargetRef.kind', ref.kind, m)));
  if (!asString(ref.name)) errs.push(required('spec.scaleTargetRef.name', ''));
  else errs.push(...nameIsPathSegment(asString(ref.name), false).map((m) => invalid('spec.scaleTargetRef.name', ref.name, m)));
  const min = spec.minReplicas;
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (typeof min === 'number' && min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const tcu = spec.targetCPUUtilizationPercentage;
  if (typeof tcu === 'number' && tcu < 1) errs.push(invalid('spec.targetCPUUtilizationPercentage', tcu, 'must be greater than 0'));
  return errs;
}
