// Validation for coordination, scheduling, discovery, storage and autoscaling kinds.

import { isIP } from 'node:net';
import { asArray, asObject, asString, jsonEqual, objectsIn } from '../json.js';
import { child, index } from './field-path.js';
import { duplicate, forbidden, invalid, notSupported, required, tooMany, type FieldError } from './field-error.js';
import { isDNS1123Subdomain, nameIsDNSSubdomain, nameIsPathSegment } from './names.js';
import { validateDNS1123Label, validateImmutable, validateProtocol, validateQualifiedName } from './common.js';
import { metaErrors } from './core-misc.js';

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
