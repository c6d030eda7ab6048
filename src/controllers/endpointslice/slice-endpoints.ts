// Pure computation of the endpoints a Service should have in its
// EndpointSlices: one endpoint per pod, grouped by the port set the pod
// resolves to (named target ports can differ between pods).
import type { Node, Pod, Service } from '../../client/types.js';
import { isPodReady, shouldPodBeInEndpoints, shouldSetHostname } from '../endpoints/pod-endpoint-rules.js';
import { podPorts, selectorMatches } from '../endpoints/subsets.js';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: { kind: 'Pod'; namespace?: string; name?: string; uid?: string };
}

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointGroup {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Identity of an endpoint across reconciles: its pod, else its address. */
export const endpointKey = (ep: { targetRef?: { uid?: string }; addresses: string[] }): string => ep.targetRef?.uid || ep.addresses.join(',');

/** A canonical string for a port set, so slices with the same ports are found. */
export function portsKey(ports: readonly { name?: string; port?: number; protocol?: string }[] | undefined): string {
  return JSON.stringify(
    (ports ?? []).map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP']).sort((a, b) => String(a).localeCompare(String(b))),
  );
}

export function podToEndpoint(pod: Pod, svc: Service, node: Node | undefined): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const publishNotReady = (svc.spec as { publishNotReadyAddresses?: boolean } | undefined)?.publishNotReadyAddresses === true;
  // "ready" stays false for a terminating pod unless the service publishes not-ready addresses.
  const ready = publishNotReady || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: [pod.status!.podIP!],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = (pod.spec as { hostname?: string }).hostname;
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** Endpoint groups keyed by portsKey; IPv4 only. */
export function desiredEndpointGroups(svc: Service, pods: readonly Pod[], nodeByName: (name: string) => Node | undefined): Map<string, EndpointGroup> {
  const selector = svc.spec?.selector ?? {};
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== svc.metadata.namespace || !selectorMatches(selector, pod.metadata.labels)) continue;
    if (!shouldPodBeInEndpoints(pod, true) || pod.status!.podIP!.includes(':')) continue;
    const ports: SlicePort[] = podPorts(pod, svc).map((p) => {
      const sp: SlicePort = { name: p.name ?? '', port: p.port, protocol: p.protocol };
      if (p.appProtocol) sp.appProtocol = p.appProtocol;
      return sp;
    });
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(pod, svc, pod.spec?.nodeName ? nodeByName(pod.spec.nodeName) : undefined));
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => endpointKey(a).localeCompare(endpointKey(b)));
  return groups;
}
