import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
  servicePrinter,
} from './networking.js';
import { NOW, meta, units } from './testutil.js';

const { m, d } = units;
type O = Record<string, unknown>;

test('service columns', () => {
  assert.deepEqual(
    servicePrinter.columns.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Type', 0],
      ['Cluster-IP', 0],
      ['External-IP', 0],
      ['Port(s)', 0],
      ['Age', 0],
      ['Selector', 1],
    ],
  );
});

test('ClusterIP, NodePort, headless, ExternalName services', () => {
  const kubernetes: O = {
    metadata: meta('kubernetes', 12 * d),
    spec: { type: 'ClusterIP', clusterIP: '10.43.0.1', clusterIPs: ['10.43.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  };
  assert.deepEqual(servicePrinter.cells(kubernetes, NOW), ['kubernetes', 'ClusterIP', '10.43.0.1', '<none>', '443/TCP', '12d', '<none>']);

  const np: O = {
    metadata: meta('web', 5 * m),
    spec: {
      type: 'NodePort',
      clusterIP: '10.43.12.7',
      selector: { app: 'web', tier: 'fe' },
      ports: [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 53, nodePort: 31053, protocol: 'UDP' },
      ],
    },
  };
  assert.deepEqual(servicePrinter.cells(np, NOW), ['web', 'NodePort', '10.43.12.7', '<none>', '80:30080/TCP,53:31053/UDP', '5m', 'app=web,tier=fe']);

  const headless: O = { metadata: meta('db', m), spec: { clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' }, ports: [{ port: 5432 }] } };
  assert.deepEqual(servicePrinter.cells(headless, NOW).slice(1, 5), ['ClusterIP', 'None', '<none>', '5432/TCP']);

  const ext: O = { metadata: meta('ext', m), spec: { type: 'ExternalName', externalName: 'example.com' } };
  assert.deepEqual(servicePrinter.cells(ext, NOW).slice(1, 5), ['ExternalName', '<none>', 'example.com', '<none>']);

  const withExternalIPs: O = { metadata: meta('e', m), spec: { type: 'ClusterIP', clusterIP: '10.43.0.9', externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 80, protocol: 'TCP' }] } };
  assert.equal(servicePrinter.cells(withExternalIPs, NOW)[3], '1.2.3.4,5.6.7.8');
});

test('LoadBalancer external IP: <pending>, ingress points sorted, plus externalIPs', () => {
  const lb = (status: O, externalIPs?: string[]): O => ({
    metadata: meta('lb', m),
    spec: { type: 'LoadBalancer', clusterIP: '10.43.5.5', externalIPs, ports: [{ port: 80, nodePort: 31234, protocol: 'TCP' }] },
    status,
  });
  assert.deepEqual(servicePrinter.cells(lb({}), NOW).slice(3, 5), ['<pending>', '80:31234/TCP']);
  assert.equal(servicePrinter.cells(lb({ loadBalancer: { ingress: [{ ip: '192.168.1.20' }, { ip: '192.168.1.10' }, { hostname: 'lb.example.com' }] } }), NOW)[3], '192.168.1.10,192.168.1.20,lb.example.com');
  assert.equal(servicePrinter.cells(lb({ loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } }, ['9.9.9.9']), NOW)[3], '192.168.1.10,9.9.9.9');
  assert.equal(servicePrinter.cells(lb({}, ['9.9.9.9']), NOW)[3], '9.9.9.9');
});

test('endpoints: host:port list, headless addresses, "+ N more...", <none>', () => {
  const ep: O = {
    metadata: meta('web', m),
    subsets: [{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.1.7' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  };
  assert.deepEqual(endpointsPrinter.cells(ep, NOW), ['web', '10.42.0.5:8080,10.42.1.7:8080', '60s']);
  const many: O = {
    metadata: meta('many', m),
    subsets: [{ addresses: [{ ip: '10.42.0.1' }, { ip: '10.42.0.2' }, { ip: 'fd00::3' }], ports: [{ port: 80 }, { port: 443 }] }],
  };
  assert.equal(endpointsPrinter.cells(many, NOW)[1], '10.42.0.1:80,10.42.0.2:80,[fd00::3]:80 + 3 more...');
  assert.equal(endpointsPrinter.cells({ metadata: meta('hl', m), subsets: [{ addresses: [{ ip: '10.42.0.9' }] }] }, NOW)[1], '10.42.0.9');
  assert.equal(endpointsPrinter.cells({ metadata: meta('none', m) }, NOW)[1], '<none>');
  assert.equal(endpointsPrinter.cells({ metadata: meta('nr', m), subsets: [{ notReadyAddresses: [{ ip: '1.1.1.1' }], ports: [{ port: 80 }] }] }, NOW)[1], '');
});

test('endpointslices: ADDRESSTYPE PORTS ENDPOINTS', () => {
  assert.deepEqual(endpointSlicePrinter.columns.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  const slice: O = {
    metadata: meta('web-abc12', m),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.1.7'] }],
  };
  assert.deepEqual(endpointSlicePrinter.cells(slice, NOW), ['web-abc12', 'IPv4', '8080', '10.42.0.5,10.42.1.7', '60s']);
  const empty: O = { metadata: meta('e', m), addressType: 'IPv4', ports: null, endpoints: [] };
  assert.deepEqual(endpointSlicePrinter.cells(empty, NOW).slice(2, 4), ['<unset>', '<unset>']);
  const odd: O = {
    metadata: meta('o', m),
    addressType: 'IPv6',
    ports: [{ name: 'named' }, {}, { port: 1 }, { port: 2 }],
    endpoints: [{ addresses: ['fd00::1', 'fd00::2', 'fd00::3', 'fd00::4', 'fd00::5'] }],
  };
  assert.deepEqual(endpointSlicePrinter.cells(odd, NOW).slice(2, 4), ['named,*,1 + 1 more...', 'fd00::1,fd00::2,fd00::3 + 2 more...']);
});

test('ingress: CLASS HOSTS ADDRESS PORTS', () => {
  assert.deepEqual(ingressPrinter.columns.map((c) => c.name), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  const ing: O = {
    metadata: meta('web', 2 * d),
    spec: { ingressClassName: 'traefik', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } },
  };
  assert.deepEqual(ingressPrinter.cells(ing, NOW), ['web', 'traefik', 'a.example.com,b.example.com', '192.168.1.10', '80, 443', '2d']);
  const bare: O = { metadata: meta('bare', m), spec: { defaultBackend: { service: { name: 'x', port: { number: 80 } } } } };
  assert.deepEqual(ingressPrinter.cells(bare, NOW), ['bare', '<none>', '*', '', '80', '60s']);
  const many: O = { metadata: meta('many', m), spec: { rules: [{ host: 'a' }, {}, { host: 'c' }, { host: 'd' }, { host: 'e' }] } };
  assert.equal(ingressPrinter.cells(many, NOW)[2], 'a,c,d + 2 more...');
});

test('ingressclass and networkpolicy', () => {
  const ic: O = { metadata: meta('nginx', d), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } };
  assert.deepEqual(ingressClassPrinter.cells(ic, NOW), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '24h']);
  assert.deepEqual(ingressClassPrinter.cells({ metadata: meta('t', d), spec: { controller: 'traefik.io/ingress-controller' } }, NOW)[2], '<none>');
  assert.deepEqual(networkPolicyPrinter.columns.map((c) => c.name), ['Name', 'Pod-Selector', 'Age']);
  assert.deepEqual(networkPolicyPrinter.cells({ metadata: meta('deny', m), spec: { podSelector: {} } }, NOW), ['deny', '<none>', '60s']);
  const np: O = { metadata: meta('db', m), spec: { podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }, { key: 'zone', operator: 'Exists' }] } } };
  assert.equal(networkPolicyPrinter.cells(np, NOW)[1], '!env,role=db,zone');
});
