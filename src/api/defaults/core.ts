// core/v1 defaults other than Pod and Service.

import { asObject, ensureObject, isObject, objectsIn, setDefault, type JsonObject } from '../json.js';
import { defaultPodTemplateSpec, roundResourceList } from './pod-spec.js';

export function defaultNamespace(ns: JsonObject): void {
  const meta = ensureObject(ns, 'metadata');
  // Every named namespace carries its own name as a label.
  if (typeof meta.name === 'string' && meta.name) ensureObject(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
  const status = ensureObject(ns, 'status');
  // The "kubernetes" finalizer is added once, to new namespaces only (no phase
  // yet): re-adding it later would undo the namespace controller's /finalize.
  if (!status.phase) {
    const spec = ensureObject(ns, 'spec');
    if (!Array.isArray(spec.finalizers) || spec.finalizers.length === 0) spec.finalizers = ['kubernetes'];
    status.phase = 'Active';
  }
}

/** Secret: type Opaque; stringData is merged into data (base64) as v1 conversion does. */
export function defaultSecret(secret: JsonObject): void {
  if (!secret.type) secret.type = 'Opaque';
  if (isObject(secret.stringData)) {
    const data = ensureObject(secret, 'data');
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete secret.stringData;
  }
}

export function defaultPersistentVolumeClaim(pvc: JsonObject): void {
  const spec = ensureObject(pvc, 'spec');
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  const res = asObject(spec.resources);
  roundResourceList(res.requests);
  roundResourceList(res.limits);
  const status = ensureObject(pvc, 'status');
  if (!status.phase) status.phase = 'Pending';
}

export function defaultPersistentVolume(pv: JsonObject): void {
  const spec = ensureObject(pv, 'spec');
  if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
  roundResourceList(spec.capacity);
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  const status = ensureObject(pv, 'status');
  if (!status.phase) status.phase = 'Pending';
  if (isObject(spec.hostPath)) setDefault(spec.hostPath, 'type', '');
}

export function defaultNode(node: JsonObject): void {
  const status = asObject(node.status);
  // Allocatable defaults to capacity.
  if (isObject(node.status) && isObject(status.capacity) && !isObject(status.allocatable)) status.allocatable = { ...status.capacity };
}

export function defaultEndpoints(ep: JsonObject): void {
  for (const subset of objectsIn(ep.subsets)) for (const port of objectsIn(subset.ports)) if (!port.protocol) port.protocol = 'TCP';
}

export function defaultReplicationController(rc: JsonObject): void {
  const spec = ensureObject(rc, 'spec');
  const template = spec.template;
  if (isObject(template)) {
    const labels = asObject(template.metadata).labels;
    if (isObject(labels)) {
      if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
      const meta = ensureObject(rc, 'metadata');
      if (!isObject(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
    }
    defaultPodTemplateSpec(template);
  }
  setDefault(spec, 'replicas', 1);
}

export function defaultPodTemplate(pt: JsonObject): void {
  defaultPodTemplateSpec(ensureObject(pt, 'template'));
}

export function defaultLimitRange(lr: JsonObject): void {
  // Container limits: default falls back to max, defaultRequest to default then min.
  for (const item of objectsIn(asObject(lr.spec).limits)) {
    if (item.type !== 'Container') continue;
    const def: JsonObject = { ...asObject(item.default) };
    for (const [k, v] of Object.entries(asObject(item.max))) if (def[k] === undefined) def[k] = v;
    const defReq: JsonObject = { ...asObject(item.defaultRequest) };
    for (const [k, v] of Object.entries(def)) if (defReq[k] === undefined) defReq[k] = v;
    for (const [k, v] of Object.entries(asObject(item.min))) if (defReq[k] === undefined) defReq[k] = v;
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(defReq).length) item.defaultRequest = defReq;
  }
}
