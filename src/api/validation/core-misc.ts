// core/v1 validation for Namespace, Node, ServiceAccount, PersistentVolume,
// PersistentVolumeClaim, Event and Endpoints.

import { isIP } from 'node:net';
import { asArray, asObject, asString, isObject, jsonEqual, objectsIn, type JsonObject } from '../json.js';
import { VolumeSourceKeys } from '../defaults/pod-spec.js';
import { compareQuantities, parseQuantity } from '../quantity.js';
import { child, index, key } from './field-path.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { GoLiteral, goStructDiff, goSyntax } from './go-format.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import {
  isNegative,
  readQuantity,
  validateDNS1123Label,
  validateLabelName,
  validateLabelSelector,
  validatePortNumOrName,
  validateProtocol,
  validateQualifiedName,
} from './common.js';

type MetaOpts = Parameters<typeof validateObjectMeta>[1];

/** Metadata on create, or the update rules when old is given. */
export function metaErrors(obj: JsonObject, old: unknown, opts: MetaOpts): FieldError[] {
  return old ? validateObjectMetaUpdate(obj.metadata, asObject(old).metadata) : validateObjectMeta(obj.metadata, opts);
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateNamespace(obj: unknown, old?: unknown): FieldError[] {
  const ns = asObject(obj);
  const errs = metaErrors(ns, old, { namespaced: false, nameFn: nameIsDNSLabel });
  for (const f of asArray(asObject(ns.spec).finalizers).map(asString)) {
    errs.push(...isQualifiedName(f).map((m) => invalid('spec.finalizers', f, m)));
    if (!f.includes('/') && !standardFinalizers.has(f))
      errs.push(invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(obj: unknown, old?: unknown): FieldError[] {
  const node = asObject(obj);
  const errs = metaErrors(node, old, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const spec = asObject(node.spec);
  const seen = new Set<string>();
  objectsIn(spec.taints).forEach((t, i) => {
    const p = index('spec.taints', i);
    errs.push(...validateLabelName(asString(t.key), child(p, 'key')));
    const msgs = isValidLabelValue(asString(t.value));
    if (msgs.length) errs.push(invalid(child(p, 'value'), asString(t.value), msgs.join(';')));
    const effect = asString(t.effect);
    if (!effect) errs.push(required(child(p, 'effect'), ''));
    else if (!taintEffects.includes(effect)) errs.push(notSupported(child(p, 'effect'), effect, taintEffects));
    const k = `${effect}\u0000${asString(t.key)}`;
    if (seen.has(k)) {
      const e = duplicate(p, t);
      errs.push({ ...e, detail: 'taints must be unique by key and effect pair', message: `${e.message}: taints must be unique by key and effect pair` });
    }
    seen.add(k);
  });
  asArray(spec.podCIDRs).forEach((cidr, i) => {
    if (!isCIDR(asString(cidr))) errs.push(invalid(index('spec.podCIDRs', i), asString(cidr), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  return errs;
}

export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const family = isIP(ip);
  if (!family || !/^[0-9]+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export function validateServiceAccount(obj: unknown, old?: unknown): FieldError[] {
  const sa = asObject(obj);
  return metaErrors(sa, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
}

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: unknown, path: string, requiredDetail: string): FieldError[] {
  const list = asArray(modes).map(asString);
  if (list.length === 0) return [required(path, requiredDetail)];
  const errs: FieldError[] = [];
  for (const m of list) if (!accessModes.includes(m)) errs.push(notSupported(path, m, accessModes));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validateVolumeMode(mode: unknown, path: string): FieldError[] {
  if (mode == null) return [];
  return mode === 'Block' || mode === 'Filesystem' ? [] : [notSupported(path, mode, ['Block', 'Filesystem'])];
}

export function validatePersistentVolumeClaim(obj: unknown, old?: unknown): FieldError[] {
  const pvc = asObject(obj);
  const errs = metaErrors(pvc, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = asObject(pvc.spec);
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', 'at least 1 access mode is required'));
  if (isObject(spec.selector)) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const storagePath = key('spec.resources', 'storage');
  const requests = asObject(asObject(spec.resources).requests);
  if (requests.storage === undefined) errs.push(required(storagePath, ''));
  else {
    const q = readQuantity(requests.storage, storagePath, errs);
    if (q && (isNegative(q) || q.nanos === 0n)) errs.push(invalid(storagePath, asString(requests.storage), 'must be greater than zero'));
  }
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  if (old) {
    const oldPvc = asObject(old);
    const oldSpec = asObject(oldPvc.spec);
    const bound = asObject(oldPvc.status).phase === 'Bound';
    const strip = (s: JsonObject) => {
      const c = structuredClone(s);
      delete c.volumeAttributesClassName;
      // The binder may set volumeName once, while it is still empty (upstream allows it).
      if (!oldSpec.volumeName) delete c.volumeName;
      if (bound) asObject(asObject(c.resources).requests).storage = undefined;
      return c;
    };
    const pvcSpecMsg = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    // Upstream appends a diff only for unbound claims.
    if (!jsonEqual(strip(spec), strip(oldSpec)))
      errs.push(forbidden('spec', bound ? pvcSpecMsg : `${pvcSpecMsg}\n${goStructDiff('core.PersistentVolumeClaimSpec', oldSpec, spec, jsonEqual)}`));
    else if (bound && requests.storage !== undefined) {
      const oldStorage = asObject(asObject(oldSpec.resources).requests).storage;
      try {
        if (oldStorage !== undefined && compareQuantities(parseQuantity(String(requests.storage)), parseQuantity(String(oldStorage))) < 0)
          errs.push(forbidden(key('spec.resources.requests', 'storage'), 'field can not be less than previous value'));
      } catch {
        // parse errors were reported above
      }
    }
  }
  return errs;
}

const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];

export function validatePersistentVolume(obj: unknown, old?: unknown): FieldError[] {
  const pv = asObject(obj);
  const errs = metaErrors(pv, old, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const spec = asObject(pv.spec);
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', ''));
  const capacity = asObject(spec.capacity);
  if (Object.keys(capacity).length === 0) errs.push(required('spec.capacity', ''));
  if (capacity.storage === undefined || Object.keys(capacity).length > 1)
    errs.push(notSupported('spec.capacity', new GoLiteral(goSyntax(capacity)), ['storage']));
  else readQuantity(capacity.storage, key('spec.capacity', 'storage'), errs);
  const rp = asString(spec.persistentVolumeReclaimPolicy);
  if (rp && !reclaimPolicies.includes(rp)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', rp, reclaimPolicies));
  const pvSources = [...VolumeSourceKeys, 'local'].filter((k) => isObject(spec[k]));
  if (pvSources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  else if (pvSources.length > 1) errs.push(forbidden(child('spec', pvSources[1]!), 'may not specify more than 1 volume type'));
  if (isObject(spec.hostPath) && !asString(spec.hostPath.path)) errs.push(required('spec.hostPath.path', ''));
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  if (old) {
    const oldSpec = asObject(asObject(old).spec);
    errs.push(...(jsonEqual(spec.volumeMode, oldSpec.volumeMode) ? [] : [invalid('spec.volumeMode', spec.volumeMode ?? null, 'field is immutable')]));
  }
  return errs;
}

export function validateEvent(obj: unknown, old?: unknown): FieldError[] {
  const ev = asObject(obj);
  const errs = metaErrors(ev, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const namespace = asString(asObject(ev.metadata).namespace);
  const involvedNs = asString(asObject(ev.involvedObject).namespace);
  const nsPath = 'involvedObject.namespace';
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (namespace && namespace !== 'default') errs.push(invalid(nsPath, involvedNs, 'does not match event.namespace'));
    } else if (namespace !== involvedNs) errs.push(invalid(nsPath, involvedNs, 'does not match event.namespace'));
  } else {
    if (!involvedNs && namespace !== 'default' && namespace !== 'kube-system') errs.push(invalid(nsPath, involvedNs, 'does not match event.namespace'));
    const rc = asString(ev.reportingComponent);
    if (!rc) errs.push(required('reportingController', ''));
    errs.push(...validateQualifiedName(rc, 'reportingController'));
    const ri = asString(ev.reportingInstance);
    if (!ri) errs.push(required('reportingInstance', ''));
    if (ri.length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = asString(ev.action);
    if (!action) errs.push(required('action', ''));
    if (action.length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
  }
  for (const m of isDNS1123Subdomain(namespace)) errs.push(invalid('namespace', namespace, m));
  return errs;
}

export function validateEndpoints(obj: unknown, old?: unknown): FieldError[] {
  const ep = asObject(obj);
  const errs = metaErrors(ep, old, { namespaced: true, nameFn: nameIsDNSSubdomain });
  objectsIn(ep.subsets).forEach((ss, i) => {
    const p = index('subsets', i);
    const addrs = objectsIn(ss.addresses);
    const notReady = objectsIn(ss.notReadyAddresses);
    if (addrs.length === 0 && notReady.length === 0)
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [field, list] of [['addresses', addrs], ['notReadyAddresses', notReady]] as const)
      list.forEach((a, j) => {
        const ap = index(child(p, field), j);
        const ip = asString(a.ip);
        if (isIP(ip) === 0) errs.push(invalid(child(ap, 'ip'), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
        if (asString(a.hostname)) errs.push(...validateDNS1123Label(asString(a.hostname), child(ap, 'hostname')));
        if (asString(a.nodeName))
          errs.push(...nameIsDNSSubdomain(asString(a.nodeName), false).map((m) => invalid(child(ap, 'nodeName'), asString(a.nodeName), m)));
      });
    const ports = objectsIn(ss.ports);
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j);
      const name = asString(port.name);
      if (ports.length > 1 && !name) errs.push(required(child(pp, 'name'), ''));
      else if (name) errs.push(...validateDNS1123Label(name, child(pp, 'name')));
      errs.push(...validatePortNumOrName(typeof port.port === 'number' ? port.port : 0, child(pp, 'port')));
      errs.push(...validateProtocol(port.protocol, child(pp, 'protocol')));
    });
  });
  return errs;
}
