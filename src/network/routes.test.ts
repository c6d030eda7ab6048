import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../api/core-v1.js';
import { desiredRoutes, parseIpRouteJson, planRoutes } from './routes.js';

function node(name: string, podCIDR?: string, ip?: string, extra: Partial<Node['metadata']> = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...extra },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    status: { addresses: ip ? [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] : [] },
  };
}

describe('desiredRoutes', () => {
  it('routes every other node podCIDR via its InternalIP, not its own', () => {
    const nodes = [node('n1', '10.42.0.0/24', '172.28.0.11'), node('n2', '10.42.1.0/24', '172.28.0.12'), node('n3', '10.42.2.0/24', '172.28.0.13')];
    assert.deepEqual(desiredRoutes(nodes, 'n2'), [
      { dst: '10.42.0.0/24', via: '172.28.0.11', node: 'n1' },
      { dst: '10.42.2.0/24', via: '172.28.0.13', node: 'n3' },
    ]);
  });

  it('skips nodes without a podCIDR or an IPv4 InternalIP, and deleting nodes', () => {
    const nodes = [
      node('a', undefined, '172.28.0.11'),
      node('b', '10.42.1.0/24'),
      node('c', 'fd00::/64', '172.28.0.13'),
      node('d', '10.42.3.0/24', '172.28.0.14', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      { ...node('e', '10.42.4.0/24'), status: { addresses: [{ type: 'InternalIP', address: 'fd00::5' }] } },
    ];
    assert.deepEqual(desiredRoutes(nodes, 'self'), []);
  });

  it('prefers spec.podCIDRs and picks one owner when two nodes claim a CIDR', () => {
    const dual = { ...node('x', '10.42.7.0/24', '172.28.0.20'), spec: { podCIDR: '10.42.7.0/24', podCIDRs: ['fd00:1::/64', '10.42.7.0/24'] } };
    const twins = [node('zz', '10.42.9.0/24', '172.28.0.31'), node('aa', '10.42.9.0/24', '172.28.0.30')];
    assert.deepEqual(desiredRoutes([dual, ...twins], 'self'), [
      { dst: '10.42.7.0/24', via: '172.28.0.20', node: 'x' },
      { dst: '10.42.9.0/24', via: '172.28.0.30', node: 'aa' },
    ]);
  });
});

describe('parseIpRouteJson', () => {
  it('reads dst and gateway, adding /32 to host routes', () => {
    const json = '[{"dst":"10.42.1.0/24","gateway":"172.28.0.12","dev":"eth0","protocol":"201","flags":[]},{"dst":"10.42.9.9","gateway":"172.28.0.13","dev":"eth0","flags":[]}]';
    assert.deepEqual(parseIpRouteJson(json), [
      { dst: '10.42.1.0/24', via: '172.28.0.12' },
      { dst: '10.42.9.9/32', via: '172.28.0.13' },
    ]);
    assert.deepEqual(parseIpRouteJson(''), []);
    assert.deepEqual(parseIpRouteJson('[]'), []);
  });
});

describe('planRoutes', () => {
  const want = [
    { dst: '10.42.0.0/24', via: '172.28.0.11', node: 'n1' },
    { dst: '10.42.2.0/24', via: '172.28.0.13', node: 'n3' },
  ];
  it('is empty when installed matches (idempotent resync)', () => {
    assert.deepEqual(planRoutes(want, [{ dst: '10.42.2.0/24', via: '172.28.0.13' }, { dst: '10.42.0.0/24', via: '172.28.0.11' }]), { replace: [], remove: [] });
  });
  it('adds missing, replaces moved and removes stale routes', () => {
    const plan = planRoutes(want, [
      { dst: '10.42.0.0/24', via: '172.28.0.99' },
      { dst: '10.42.5.0/24', via: '172.28.0.15' },
    ]);
    assert.deepEqual(plan.replace, want);
    assert.deepEqual(plan.remove, [{ dst: '10.42.5.0/24', via: '172.28.0.15' }]);
  });
});
