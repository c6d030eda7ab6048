// Service validation (create and update).

import { asArray, asObject, asString, isObject, objectsIn } from '../json.js';
import { child, index } from './field-path.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { GoLiteral, goQuote, goSyntax } from './go-format.js';
import { isDNS1123Subdomain, isValidPortNum, nameIsDNS1035Label } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import {
  validateDNS1123Label,
  validateLabels,
  validatePortNumOrName,
  validateProtocol,
  validateQualifiedName,
} from './common.js';
import { isIP } from 'node:net';

export interface ServiceValidationOptions {
  /** The NodePort range the allocator accepts; k3s-style default 30000-32767. */
  nodePortRange?: { base: number; size: number };
}

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const defaultNodePortRange = { base: 30000, size: 2768 };

// Upstream prints the (protocol, port) key as a Go struct.
const servicePortKey = (protocol: string, port: number, nodePort = 0) =>
  new GoLiteral(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${nodePort ? 0 : port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:${nodePort}}`,
  );

function validateClusterIPs(spec: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const clusterIP = asString(spec.clusterIP);
  const ips = asArray(spec.clusterIPs).map(asString);
  if (clusterIP && ips.length && ips[0] !== clusterIP)
    errs.push(invalid(child(path, 'clusterIPs'), new GoLiteral(goSyntax(ips)), 'first value must match `clusterIP`'));
  const all = ips.length ? ips : clusterIP ? [clusterIP] : [];
  all.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || all.length > 1) errs.push(invalid(index(child(path, 'clusterIPs'), i), ip, 'must be a valid IP address when clusterIPs has more than one value'));
      return;
    }
    if (isIP(ip) === 0)
      errs.push(
        invalid(index(child(path, 'clusterIPs'), i), ip, 'must be empty, \'None\', or a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)'),
      );
  });
  return errs;
}

export function validateService(obj: unknown, old?: unknown, opts: ServiceValidationOptions = {}): FieldError[] {
  const svc = asObject(obj);
  const errs = old
    ? validateObjectMetaUpdate(svc.metadata, asObject(old).metadata)
    : validateObjectMeta(svc.metadata, { namespaced: true, nameFn: nameIsDNS1035Label });
  const spec = asObject(svc.spec);
  const specPath = 'spec';
  const type = asString(spec.type);
  const headless = spec.clusterIP === 'None' || asArray(spec.clusterIPs)[0] === 'None';
  const ports = objectsIn(spec.ports);
  const portsPath = child(specPath, 'ports');

  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required(portsPath, ''));
  if (type === 'ExternalName') {
    if (asString(spec.clusterIP) || asArray(spec.clusterIPs).length)
      errs.push(forbidden(child(specPath, 'clusterIPs'), 'may not be set for ExternalName services'));
    const en = asString(spec.externalName).replace(/\.$/, '');
    for (const m of isDNS1123Subdomain(en)) errs.push(invalid(child(specPath, 'externalName'), asString(spec.externalName), m));
  } else {
    errs.push(...validateClusterIPs(spec, specPath));
  }

  const names = new Set<string>();
  ports.forEach((sp, i) => {
    const p = index(portsPath, i);
    const name = asString(sp.name);
    if (ports.length > 1 && !name) errs.push(required(child(p, 'name'), ''));
    else if (name) {
      errs.push(...validateDNS1123Label(name, child(p, 'name')));
      if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    errs.push(...isValidPortNum(Number(sp.port)).map((m) => invalid(child(p, 'port'), sp.port ?? 0, m)));
    errs.push(...validateProtocol(sp.protocol, child(p, 'protocol')));
    errs.push(...validatePortNumOrName(sp.targetPort, child(p, 'targetPort')));
    if (typeof sp.appProtocol === 'string') errs.push(...validateQualifiedName(sp.appProtocol, child(p, 'appProtocol')));
  });

  if (!type) errs.push(required(child(specPath, 'type'), ''));
  else if (!serviceTypes.includes(type)) errs.push(notSupported(child(specPath, 'type'), type, serviceTypes));

  if (type === 'ClusterIP')
    ports.forEach((sp, i) => {
      if (sp.nodePort) errs.push(forbidden(child(index(portsPath, i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });

  // (protocol, port) and (protocol, nodePort) pairs must be unique.
  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  ports.forEach((sp, i) => {
    const proto = asString(sp.protocol);
    const k = `${proto}/${String(sp.port)}`;
    if (seenPorts.has(k)) errs.push(duplicate(index(portsPath, i), servicePortKey(proto, Number(sp.port))));
    seenPorts.add(k);
    if (sp.nodePort) {
      const nk = `${proto}/${String(sp.nodePort)}`;
      if (seenNodePorts.has(nk)) errs.push(duplicate(child(index(portsPath, i), 'nodePort'), sp.nodePort));
      seenNodePorts.add(nk);
    }
  });

  // The allocator's range check, reported the way the service REST layer does.
  const range = opts.nodePortRange ?? defaultNodePortRange;
  if (type === 'NodePort' || type === 'LoadBalancer')
    ports.forEach((sp, i) => {
      const np = sp.nodePort;
      if (typeof np === 'number' && np !== 0 && (np < range.base || np >= range.base + range.size))
        errs.push(
          invalid(
            child(index(portsPath, i), 'nodePort'),
            np,
            `provided port is not in the valid range. The range of valid ports is ${range.base}-${range.base + range.size - 1}`,
          ),
        );
    });

  errs.push(...validateLabels(spec.selector, child(specPath, 'selector')));

  const affinity = asString(spec.sessionAffinity);
  if (!affinity) errs.push(required(child(specPath, 'sessionAffinity'), ''));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported(child(specPath, 'sessionAffinity'), affinity, ['ClientIP', 'None']));
  else if (affinity === 'None' && isObject(spec.sessionAffinityConfig))
    errs.push(invalid(child(specPath, 'sessionAffinityConfig'), spec.sessionAffinityConfig, "must not be set when session affinity is None"));

  const etp = asString(spec.externalTrafficPolicy);
  const externallyReachable = type === 'NodePort' || type === 'LoadBalancer';
  if (etp && !externallyReachable && !(type === 'ClusterIP' && asArray(spec.externalIPs).length))
    errs.push(invalid(child(specPath, 'externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  else if (etp && etp !== 'Cluster' && etp !== 'Local')
    errs.push(notSupported(child(specPath, 'externalTrafficPolicy'), etp, ['Cluster', 'Local']));
  const itp = asString(spec.internalTrafficPolicy);
  if (itp && itp !== 'Cluster' && itp !== 'Local') errs.push(notSupported(child(specPath, 'internalTrafficPolicy'), itp, ['Cluster', 'Local']));
  const ifp = asString(spec.ipFamilyPolicy);
  if (ifp && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(ifp))
    errs.push(notSupported(child(specPath, 'ipFamilyPolicy'), ifp, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));

  if (old) errs.push(...validateClusterIPUpdate(spec, asObject(asObject(old).spec)));
  return errs;
}

// The primary cluster IP cannot change, except to or from ExternalName.
function validateClusterIPUpdate(spec: Record<string, unknown>, oldSpec: Record<string, unknown>): FieldError[] {
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  const oldIPs = asArray(oldSpec.clusterIPs).map(asString);
  const newIPs = asArray(spec.clusterIPs).map(asString);
  const oldPrimary = oldIPs[0] ?? asString(oldSpec.clusterIP);
  const newPrimary = newIPs[0] ?? asString(spec.clusterIP);
  if (oldPrimary && newPrimary !== oldPrimary)
    return [invalid(index('spec.clusterIPs', 0), new GoLiteral(goSyntax(newIPs.length ? newIPs : [newPrimary])), 'may not change once set')];
  return [];
}
