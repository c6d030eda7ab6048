// Object builders shared by the DNS tests.
import type { EndpointSlice, Service } from '../client/types.js';
import { SERVICE_NAME_LABEL } from './cluster-index.js';

type Port = { name?: string; port: number; protocol?: string };

export function clusterIPService(ns: string, name: string, ips: string[], ports: Port[] = [{ name: 'http', port: 80 }]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ports: ports.map((p) => ({ protocol: 'TCP', ...p })) } };
}

export function headlessService(ns: string, name: string, ports: Port[] = [{ name: 'web', port: 80 }]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: ports.map((p) => ({ protocol: 'TCP', ...p })) } };
}

export function externalNameService(ns: string, name: string, target: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type: 'ExternalName', externalName: target, ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } };
}

export interface SliceEndpoint {
  ip: string;
  hostname?: string;
  ready?: boolean;
}

export function endpointSlice(ns: string, svc: string, sliceName: string, eps: SliceEndpoint[], ports: Port[] = [{ name: 'web', port: 8080 }], addressType = 'IPv4'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: sliceName, labels: { [SERVICE_NAME_LABEL]: svc } },
    addressType,
    endpoints: eps.map((e) => ({ addresses: [e.ip], ...(e.hostname ? { hostname: e.hostname } : {}), conditions: { ready: e.ready ?? true } })),
    ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
  };
}
