// The DNS add-on's API objects: the kube-dns Service at the well-known
// cluster DNS address (what kubelets put in pods' resolv.conf) and, as the
// Service has no selector, an EndpointSlice we own that points at wherever
// the DNS server actually listens.
import { isIPv6 } from 'node:net';
import type { KubeClient } from '../client/client.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import type { EndpointSlice, Service } from '../client/types.js';
import { SERVICE_NAME_LABEL } from './cluster-index.js';

export const DNS_NAMESPACE = 'kube-system';
export const DNS_SERVICE_NAME = 'kube-dns';
/** The cluster DNS address: the 10th address of the default service CIDR 10.43.0.0/16. */
export const CLUSTER_DNS_IP = '10.43.0.10';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** Not the endpointslice controller's value, so it leaves our slice alone. */
export const DNS_SLICE_MANAGER = 'kubets-dns-addon';
const APP_LABELS = { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'kubets-dns' };

export interface EnsureDnsServiceOptions {
  /** Where the DNS server listens (an IP the service proxy can reach). */
  address: string;
  /** Its port, for UDP and TCP; 53 by default. */
  port?: number;
  clusterIP?: string;
}

export function desiredDnsService(clusterIP = CLUSTER_DNS_IP): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: DNS_NAMESPACE, name: DNS_SERVICE_NAME, labels: { ...APP_LABELS } },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      // Every node runs a DNS server (node-local): pods ask the one on their own node.
      internalTrafficPolicy: 'Local',
      ports: [
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      ],
    },
  };
}

export function desiredDnsSlice(address: string, port = 53, nodeName?: string): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: DNS_NAMESPACE,
      name: nodeName ? `${DNS_SERVICE_NAME}-${nodeName}` : DNS_SERVICE_NAME,
      labels: { ...APP_LABELS, [SERVICE_NAME_LABEL]: DNS_SERVICE_NAME, [MANAGED_BY_LABEL]: DNS_SLICE_MANAGER },
    },
    addressType: isIPv6(address) ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true, serving: true, terminating: false }, ...(nodeName ? { nodeName } : {}) }],
    ports: [
      { name: 'dns', port, protocol: 'UDP' },
      { name: 'dns-tcp', port, protocol: 'TCP' },
    ],
  };
}

/**
 * Creates or updates the kube-dns Service and its EndpointSlice. A Service
 * found with another cluster IP is recreated (the field is immutable).
 */
/** Creates or updates the kube-dns Service; one found with another cluster IP is recreated (the field is immutable). */
export async function ensureDnsServiceObject(client: KubeClient, clusterIP?: string): Promise<Service> {
  const want = desiredDnsService(clusterIP);
  return upsert(
    () => client.services.get(DNS_NAMESPACE, DNS_SERVICE_NAME),
    () => client.services.create(DNS_NAMESPACE, want),
    async (cur) => {
      if (cur.spec?.clusterIP !== want.spec!.clusterIP) {
        await client.services.delete(DNS_NAMESPACE, DNS_SERVICE_NAME);
        return undefined;
      }
      const ports = want.spec!.ports!;
      return client.services.update({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...APP_LABELS } }, spec: { ...cur.spec, ...want.spec, selector: undefined, ports } });
    },
  );
}

/** Creates or updates an EndpointSlice of kube-dns pointing at `address` (one per node when `nodeName` is given). */
export async function ensureDnsSlice(client: KubeClient, address: string, opts: { port?: number; nodeName?: string } = {}): Promise<EndpointSlice> {
  const want = desiredDnsSlice(address, opts.port, opts.nodeName);
  return upsert(
    () => client.endpointslices.get(DNS_NAMESPACE, want.metadata.name!),
    () => client.endpointslices.create(DNS_NAMESPACE, want),
    (cur) => client.endpointslices.update({ ...want, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...want.metadata.labels } } }),
  );
}

/** The kube-dns Service and one EndpointSlice pointing at wherever the DNS server listens. */
export async function ensureDnsService(client: KubeClient, opts: EnsureDnsServiceOptions): Promise<{ service: Service; slice: EndpointSlice }> {
  const service = await ensureDnsServiceObject(client, opts.clusterIP);
  const slice = await ensureDnsSlice(client, opts.address, { port: opts.port });
  return { service, slice };
}

/** get → update (or create when missing), retrying on conflicts and races; `update` may return undefined to ask for a create. */
async function upsert<T>(get: () => Promise<T>, create: () => Promise<T>, update: (cur: T) => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      let cur: T | undefined;
      try {
        cur = await get();
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const out = cur === undefined ? await create() : await update(cur);
      if (out !== undefined) return out;
    } catch (err) {
      if (attempt >= 5 || !(isConflict(err) || isAlreadyExists(err) || isNotFound(err))) throw err;
    }
  }
}
