// The proxy's view of the cluster: every (Service, port) with its usable
// endpoints, computed from Services and EndpointSlices. Pure; rules.ts
// renders it and the proxier diffs it (for UDP conntrack flushing).
import type { KubeObject } from '../api/meta.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServiceObject extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    ports?: { name?: string; port: number; protocol?: string; nodePort?: number; targetPort?: number | string }[];
    sessionAffinity?: string;
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    internalTrafficPolicy?: string;
    externalTrafficPolicy?: string;
    [k: string]: unknown;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface EndpointSliceObject extends KubeObject {
  addressType?: string;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null }; nodeName?: string }[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Upstream's default ClientIP affinity timeout (3 h). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

export interface Endpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  local: boolean;
}

export interface ServicePort {
  /** `namespace/name:portName`, as upstream's ServicePortName prints. */
  key: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  port: number;
  clusterIP?: string;
  nodePort?: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  /** ClientIP affinity timeout in seconds; undefined = no affinity. */
  affinitySeconds?: number;
  internalLocal: boolean;
  /** externalTrafficPolicy Local (only meaningful with a NodePort or load balancer). */
  externalLocal: boolean;
  /** Every endpoint of this port (deduplicated by ip:port), sorted. */
  endpoints: Endpoint[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function protocolOf(p: string | null | undefined): Protocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

/** Whether the service gets proxy rules at all (headless and ExternalName do not). */
function isProxied(svc: ServiceObject): boolean {
  const spec = svc.spec;
  if (!spec || spec.type === 'ExternalName') return false;
  const ip = spec.clusterIP;
  return !!ip && ip !== 'None' && IPV4.test(ip);
}

/** Groups slices by `namespace/service-name` (the service-name label). */
export function slicesByService(slices: Iterable<EndpointSliceObject>): Map<string, EndpointSliceObject[]> {
  const m = new Map<string, EndpointSliceObject[]>();
  for (const s of slices) {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svc || (s.addressType && s.addressType !== 'IPv4')) continue;
    const k = `${s.metadata.namespace ?? ''}/${svc}`;
    const list = m.get(k);
    if (list) list.push(s);
    else m.set(k, [s]);
  }
  return m;
}

function endpointsFor(slices: EndpointSliceObject[], portName: string, protocol: Protocol, nodeName: string): Endpoint[] {
  const seen = new Map<string, Endpoint>();
  for (const s of slices) {
    const sp = (s.ports ?? []).find((p) => (p.name ?? '') === portName && protocolOf(p.protocol) === protocol);
    if (!sp || typeof sp.port !== 'number') continue;
    for (const e of s.endpoints ?? []) {
      // Unset conditions mean "ready" (and serving follows ready), as upstream.
      const ready = e.conditions?.ready !== false;
      const serving = e.conditions?.serving ?? ready;
      const terminating = e.conditions?.terminating === true;
      const ip = e.addresses[0];
      if (!ip || !IPV4.test(ip)) continue;
      const k = `${ip}:${sp.port}`;
      if (!seen.has(k)) seen.set(k, { ip, port: sp.port, ready, serving: serving !== false, terminating, local: !!nodeName && e.nodeName === nodeName });
    }
  }
  return [...seen.values()].sort((a, b) => compareIp(a.ip, b.ip) || a.port - b.port);
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/**
 * Reuses a service's ports while neither the Service object nor any of its
 * slices changed (informer stores replace objects on update, never mutate).
 */
export type ServicePortsCache = WeakMap<ServiceObject, { nodeName: string; slices: EndpointSliceObject[]; ports: ServicePort[] }>;

/** Builds every proxied service port, sorted by key (deterministic output). */
export function buildServicePorts(services: Iterable<ServiceObject>, slices: Iterable<EndpointSliceObject>, nodeName: string, cache?: ServicePortsCache): ServicePort[] {
  const bySvc = slicesByService(slices);
  const out: ServicePort[] = [];
  for (const svc of services) {
    if (!isProxied(svc)) continue;
    const mine = bySvc.get(`${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`) ?? [];
    const hit = cache?.get(svc);
    if (hit && hit.nodeName === nodeName && hit.slices.length === mine.length && hit.slices.every((s, i) => s === mine[i])) {
      out.push(...hit.ports);
      continue;
    }
    const from = out.length;
    const spec = svc.spec!;
    const namespace = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name ?? '';
    const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const affinity = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined;
    const lbIPs = spec.type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => IPV4.test(ip)) : [];
    const slices = bySvc.get(`${namespace}/${name}`) ?? [];
    for (const p of spec.ports ?? []) {
      const portName = p.name ?? '';
      const protocol = protocolOf(p.protocol);
      out.push({
        key: `${namespace}/${name}:${portName}`,
        namespace,
        name,
        portName,
        protocol,
        port: p.port,
        clusterIP: spec.clusterIP,
        nodePort: external && p.nodePort ? p.nodePort : undefined,
        externalIPs: (spec.externalIPs ?? []).filter((ip) => IPV4.test(ip)),
        loadBalancerIPs: lbIPs,
        affinitySeconds: affinity,
        internalLocal: spec.internalTrafficPolicy === 'Local',
        externalLocal: spec.externalTrafficPolicy === 'Local' && (external || (spec.externalIPs ?? []).length > 0),
        endpoints: endpointsFor(slices, portName, protocol, nodeName),
      });
    }
    cache?.set(svc, { nodeName, slices: mine, ports: out.slice(from) });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

/**
 * The endpoints that receive traffic: the ready ones; only when none is
 * ready, the serving-and-terminating ones (graceful termination fallback).
 */
export function usableEndpoints(eps: readonly Endpoint[]): Endpoint[] {
  const ready = eps.filter((e) => e.ready);
  if (ready.length) return ready;
  return eps.filter((e) => e.serving && e.terminating);
}

export function hasExternal(sp: ServicePort): boolean {
  return sp.nodePort !== undefined || sp.loadBalancerIPs.length > 0 || sp.externalIPs.length > 0;
}
