// Validation for networking.k8s.io: Ingress, IngressClass, NetworkPolicy.

import { isIP } from 'node:net';
import { asArray, asObject, asString, isObject, objectsIn, type JsonObject } from '../json.js';
import { child, index } from './field-path.js';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { GoLiteral } from './go-format.js';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNS1035Label, nameIsDNSSubdomain } from './names.js';
import { validateImmutable, validateLabelSelector, validateProtocol } from './common.js';
import { isCIDR, metaErrors } from './core-misc.js';

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

