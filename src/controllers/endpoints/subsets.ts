// Pure computation of an Endpoints object's subsets from a Service and the
// pods its selector picks: addresses grouped by the port set each pod
// resolves to, ready ones under `addresses`, the rest under
// `notReadyAddresses`, sorted so that equal input gives equal output.
import type { Pod, Service } from '../../client/types.js';
import { findPort, isPodReady, shouldPodBeInEndpoints, shouldSetHostname } from './pod-endpoint-rules.js';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** Upstream caps an Endpoints object at 1000 addresses (the rest go to slices only). */
export const MAX_ENDPOINT_ADDRESSES = 1000;

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function podAddress(pod: Pod, svc: Service): EndpointAddress {
  const addr: EndpointAddress = { ip: pod.status!.podIP! };
  if (shouldSetHostname(pod, svc)) addr.hostname = (pod.spec as { hostname?: string }).hostname;
  if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return addr;
}

/** The ports one pod serves for the service; ports the pod lacks are left out. */
export function podPorts(pod: Pod, svc: Service): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
    if (sp.name) ep.name = sp.name;
    const app = (sp as { appProtocol?: string }).appProtocol;
    if (app) ep.appProtocol = app;
    out.push(ep);
  }
  return out;
}

const portKey = (ports: EndpointPort[]) => JSON.stringify([...ports].sort(comparePorts));
const comparePorts = (a: EndpointPort, b: EndpointPort) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol);
const compareAddresses = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');

export interface SubsetsResult {
  subsets: EndpointSubset[];
  /** More than MAX_ENDPOINT_ADDRESSES were found and the rest dropped. */
  truncated: boolean;
}

export function computeSubsets(svc: Service, pods: readonly Pod[]): SubsetsResult {
  const selector = svc.spec?.selector ?? {};
  const publishNotReady = (svc.spec as { publishNotReadyAddresses?: boolean } | undefined)?.publishNotReadyAddresses === true;
  const headlessNoPorts = (svc.spec?.ports ?? []).length === 0 && svc.spec?.clusterIP === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== svc.metadata.namespace || !selectorMatches(selector, pod.metadata.labels)) continue;
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports = podPorts(pod, svc).sort(comparePorts);
    if (ports.length === 0 && !headlessNoPorts) continue;
    const key = portKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (publishNotReady || isPodReady(pod) ? g.ready : g.notReady).push(podAddress(pod, svc));
  }
  let budget = MAX_ENDPOINT_ADDRESSES;
  let truncated = false;
  const subsets: EndpointSubset[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    g.ready.sort(compareAddresses);
    g.notReady.sort(compareAddresses);
    // Ready addresses are kept first when the object would grow too large.
    const ready = g.ready.slice(0, budget);
    budget -= ready.length;
    const notReady = g.notReady.slice(0, budget);
    budget -= notReady.length;
    if (ready.length + notReady.length < g.ready.length + g.notReady.length) truncated = true;
    if (ready.length + notReady.length === 0) continue;
    const subset: EndpointSubset = {};
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (g.ports.length) subset.ports = g.ports;
    subsets.push(subset);
  }
  return { subsets, truncated };
}
