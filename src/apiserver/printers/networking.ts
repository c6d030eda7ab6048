// Printers for services and networking: services, endpoints, endpoint slices,
// ingresses, ingress classes and network policies.

import { get, num, objs, optNum, optStr, str, strMap, strs, type Obj } from './access.js';
import { ageCol, col, nameCol, wide } from './columns.js';
import { byteCompare, formatLabelSelector, formatLabels, listWithMore } from './format.js';
import { ageOf, nameOf } from './meta.js';
import type { TablePrinter } from './types.js';

/** Load-balancer ingress points (IP, else hostname), de-duplicated and sorted. */
function loadBalancerAddresses(o: Obj): string {
  const set = new Set<string>();
  for (const ing of objs(o, 'status', 'loadBalancer', 'ingress')) {
    const v = str(ing, 'ip') || str(ing, 'hostname');
    if (v !== '') set.add(v);
  }
  return [...set].sort(byteCompare).join(',');
}

function serviceExternalIP(svc: Obj, type: string): string {
  const externalIPs = strs(svc, 'spec', 'externalIPs');
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb !== '' ? lb : '<pending>';
    }
    case 'ExternalName':
      return str(svc, 'spec', 'externalName');
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Obj): string {
  const parts = objs(svc, 'spec', 'ports').map((p) => {
    const protocol = str(p, 'protocol') || 'TCP';
    const nodePort = num(p, 'nodePort');
    return nodePort > 0 ? `${num(p, 'port')}:${nodePort}/${protocol}` : `${num(p, 'port')}/${protocol}`;
  });
  return parts.length > 0 ? parts.join(',') : '<none>';
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Type', 'string', 'How the service is exposed.'),
    col('Cluster-IP', 'string', 'The cluster-internal virtual IP.'),
    col('External-IP', 'string', 'Addresses the service is reachable at from outside the cluster.'),
    col('Port(s)', 'string', 'Service ports, with node ports.'),
    ageCol(),
    wide('Selector', 'string', 'Labels of the pods backing the service.'),
  ],
  cells(o, now) {
    const type = str(o, 'spec', 'type') || 'ClusterIP';
    const clusterIPs = strs(o, 'spec', 'clusterIPs');
    const clusterIP = clusterIPs[0] || str(o, 'spec', 'clusterIP') || '<none>';
    return [
      nameOf(o),
      type,
      clusterIP,
      serviceExternalIP(o, type),
      servicePorts(o),
      ageOf(o, now),
      formatLabels(strMap(o, 'spec', 'selector')),
    ];
  },
};

/** host:port the way Go's net.JoinHostPort writes it (IPv6 in brackets). */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function formatEndpoints(o: Obj): string {
  const subsets = objs(o, 'subsets');
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = objs(ss, 'addresses');
    const ports = objs(ss, 'ports');
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) if (list.length < max) list.push(str(a, 'ip'));
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < max) list.push(joinHostPort(str(a, 'ip'), num(p, 'port')));
    }
  }
  const ret = list.join(',');
  return count > max ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: [nameCol(), col('Endpoints', 'string', 'Endpoint addresses and ports.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), formatEndpoints(o), ageOf(o, now)];
  },
};

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('AddressType', 'string', 'The type of the addresses in this slice.'),
    col('Ports', 'string', 'Ports exposed by the endpoints.'),
    col('Endpoints', 'string', 'Endpoint addresses.'),
    ageCol(),
  ],
  cells(o, now) {
    const ports = objs(o, 'ports');
    const portList = ports.slice(0, 3).map((p) => {
      const n = optNum(p, 'port');
      if (n !== undefined) return String(n);
      return optStr(p, 'name') ?? '*';
    });
    const addresses = objs(o, 'endpoints').flatMap((e) => strs(e, 'addresses'));
    return [
      nameOf(o),
      str(o, 'addressType'),
      listWithMore(portList, ports.length, 3, '<unset>'),
      listWithMore(addresses.slice(0, 3), addresses.length, 3, '<unset>'),
      ageOf(o, now),
    ];
  },
};

function ingressHosts(o: Obj): string {
  const rules = objs(o, 'spec', 'rules');
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === max) more = true;
    const host = str(r, 'host');
    if (!more && host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Class', 'string', 'The IngressClass handling this ingress.'),
    col('Hosts', 'string', 'Hosts the rules match.'),
    col('Address', 'string', 'Load-balancer addresses of the ingress.'),
    col('Ports', 'string', 'Ports the ingress listens on.'),
    ageCol(),
  ],
  cells(o, now) {
    return [
      nameOf(o),
      optStr(o, 'spec', 'ingressClassName') ?? '<none>',
      ingressHosts(o),
      loadBalancerAddresses(o),
      objs(o, 'spec', 'tls').length > 0 ? '80, 443' : '80',
      ageOf(o, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Controller', 'string', 'The controller implementing this class.'),
    col('Parameters', 'string', 'Reference to the class parameters.'),
    ageCol(),
  ],
  cells(o, now) {
    let parameters = '<none>';
    const p = get(o, 'spec', 'parameters');
    if (p !== undefined && p !== null) {
      const group = optStr(p, 'apiGroup');
      parameters = `${str(p, 'kind')}${group !== undefined ? `.${group}` : ''}/${str(p, 'name')}`;
    }
    return [nameOf(o), str(o, 'spec', 'controller'), parameters, ageOf(o, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameCol(), col('Pod-Selector', 'string', 'Pods the policy applies to.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), formatLabelSelector(get(o, 'spec', 'podSelector')), ageOf(o, now)];
  },
};
