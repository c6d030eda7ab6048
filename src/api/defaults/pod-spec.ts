// Defaults for PodSpec and what it contains (containers, probes, volumes),
// as upstream's core/v1 defaulters set them. Mutates in place.

import { ensureObject, isObject, objectsIn, setDefault, type JsonObject } from '../json.js';
import { formatQuantity, parseQuantity, QuantityParseError, roundUp } from '../quantity.js';

export const DefaultTerminationGracePeriodSeconds = 30;
export const DefaultSchedulerName = 'default-scheduler';
const DefaultVolumeMode = 420; // 0644

/** Upstream pulls "latest" (explicit or implied) always, everything else if not present. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const tag = imageTag(image);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

// The tag of an image reference: "latest" when neither tag nor digest is
// given, "" when there is only a digest or the reference does not parse.
function imageTag(image: string): string {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  if (!isValidRepository(hasTag ? named.slice(0, colon) : named)) return '';
  if (hasTag) return named.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

// Docker reference rules: an optional registry host, then lowercase path components.
function isValidRepository(repo: string): boolean {
  if (!repo) return false;
  const parts = repo.split('/');
  const first = parts[0]!;
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return (hasHost ? parts.slice(1) : parts).every((p) => pathComponent.test(p));
}

function defaultHandler(h: JsonObject): void {
  if (isObject(h.httpGet)) {
    setDefault(h.httpGet, 'path', '/');
    if (h.httpGet.path === '') h.httpGet.path = '/';
    setDefault(h.httpGet, 'scheme', 'HTTP');
  }
}

// Probe numbers: unset and zero both take the default.
function defaultProbe(p: unknown): void {
  if (!isObject(p)) return;
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const)
    if (!p[k]) p[k] = v;
  defaultHandler(p);
}

function defaultFieldRefs(env: unknown): void {
  for (const e of objectsIn(env)) {
    const from = e.valueFrom;
    if (isObject(from) && isObject(from.fieldRef)) setDefault(from.fieldRef, 'apiVersion', 'v1');
  }
}

/**
 * SetDefaults_ResourceList: quantities finer than a milli-unit are rounded up
 * to one ("100u" -> "1m"). Unparseable values are left for validation.
 */
export function roundResourceList(list: unknown): void {
  if (!isObject(list)) return;
  for (const [k, v] of Object.entries(list)) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    try {
      const q = parseQuantity(String(v));
      const r = roundUp(q, -3);
      if (r !== q) list[k] = formatQuantity(r);
    } catch (e) {
      if (!(e instanceof QuantityParseError)) throw e;
    }
  }
}

export function defaultContainer(c: JsonObject): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultImagePullPolicy(typeof c.image === 'string' ? c.image : '');
  // A non-pointer struct upstream: always present once serialized.
  setDefault(c, 'resources', {});
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const port of objectsIn(c.ports)) if (!port.protocol) port.protocol = 'TCP';
  if (isObject(c.resources)) {
    roundResourceList(c.resources.limits);
    roundResourceList(c.resources.requests);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObject(c.lifecycle)) {
    if (isObject(c.lifecycle.postStart)) defaultHandler(c.lifecycle.postStart);
    if (isObject(c.lifecycle.preStop)) defaultHandler(c.lifecycle.preStop);
  }
  defaultFieldRefs(c.env);
}

// Keys of VolumeSource: a volume with none of them becomes an emptyDir.
const volumeSourceKeys = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];
export const VolumeSourceKeys: readonly string[] = volumeSourceKeys;

export function defaultVolume(v: JsonObject): void {
  if (!volumeSourceKeys.some((k) => isObject(v[k]))) v.emptyDir = {};
  for (const k of ['configMap', 'secret', 'downwardAPI', 'projected'] as const) {
    const src = v[k];
    if (isObject(src)) setDefault(src, 'defaultMode', DefaultVolumeMode);
  }
  if (isObject(v.hostPath)) setDefault(v.hostPath, 'type', '');
  if (isObject(v.downwardAPI))
    for (const item of objectsIn(v.downwardAPI.items)) if (isObject(item.fieldRef)) setDefault(item.fieldRef, 'apiVersion', 'v1');
  if (isObject(v.projected))
    for (const s of objectsIn(v.projected.sources)) {
      if (isObject(s.downwardAPI))
        for (const item of objectsIn(s.downwardAPI.items)) if (isObject(item.fieldRef)) setDefault(item.fieldRef, 'apiVersion', 'v1');
      if (isObject(s.serviceAccountToken)) setDefault(s.serviceAccountToken, 'expirationSeconds', 3600);
    }
  if (isObject(v.iscsi)) setDefault(v.iscsi, 'iscsiInterface', 'default');
  if (isObject(v.ephemeral) && isObject(v.ephemeral.volumeClaimTemplate)) {
    const spec = v.ephemeral.volumeClaimTemplate.spec;
    if (isObject(spec)) setDefault(spec, 'volumeMode', 'Filesystem');
  }
}

/** SetDefaults_PodSpec plus the nested defaulters: applies to pods and templates alike. */
export function defaultPodSpec(spec: JsonObject): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', DefaultTerminationGracePeriodSeconds);
  if (!spec.schedulerName) spec.schedulerName = DefaultSchedulerName;
  for (const c of objectsIn(spec.containers)) defaultContainer(c);
  for (const c of objectsIn(spec.initContainers)) defaultContainer(c);
  for (const c of objectsIn(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of objectsIn(spec.volumes)) defaultVolume(v);
}

/** A pod template: its spec gets pod-spec defaults (but not pod-only ones). */
export function defaultPodTemplateSpec(template: JsonObject): void {
  defaultPodSpec(ensureObject(template, 'spec'));
}

// hostNetwork pods expose container ports on the host unless told otherwise.
function defaultHostNetworkPorts(containers: unknown): void {
  for (const c of objectsIn(containers))
    for (const p of objectsIn(c.ports)) if (!p.hostPort && typeof p.containerPort === 'number') p.hostPort = p.containerPort;
}

// Requests default to limits for each resource given only a limit.
function defaultRequestsFromLimits(containers: unknown): void {
  for (const c of objectsIn(containers)) {
    const res = c.resources;
    if (!isObject(res) || !isObject(res.limits)) continue;
    const requests = ensureObject(res, 'requests');
    for (const [k, v] of Object.entries(res.limits)) if (requests[k] === undefined) requests[k] = v;
  }
}

/** SetDefaults_Pod: the pod-only defaults, then the PodSpec ones. */
export function defaultPod(pod: JsonObject): void {
  const spec = ensureObject(pod, 'spec');
  defaultRequestsFromLimits(spec.containers);
  defaultRequestsFromLimits(spec.initContainers);
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }
  defaultPodSpec(spec);
}
