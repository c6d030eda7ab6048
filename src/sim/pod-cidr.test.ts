import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultNodePodCidr, intToIpv4, ipv4ToInt, nodeInternalIp, parseIpv4Cidr, PodIpAllocator } from './pod-cidr.js';
import { SimConfigError } from './errors.js';

test('IPv4 conversions round-trip and CIDRs are normalised to their network', () => {
  assert.equal(intToIpv4(ipv4ToInt('10.42.3.7')), '10.42.3.7');
  assert.deepEqual(parseIpv4Cidr('10.42.3.7/24'), { base: ipv4ToInt('10.42.3.0'), prefix: 24 });
  assert.throws(() => parseIpv4Cidr('fd00::/64'), SimConfigError);
  assert.throws(() => parseIpv4Cidr('10.0.0.0/33'), SimConfigError);
  assert.throws(() => ipv4ToInt('10.0.0.256'), SimConfigError);
});

test('default node CIDRs and node IPs come from the node index', () => {
  assert.equal(defaultNodePodCidr(0), '10.42.0.0/24');
  assert.equal(defaultNodePodCidr(7), '10.42.7.0/24');
  assert.equal(defaultNodePodCidr(256 + 7), '10.42.7.0/24');
  assert.equal(nodeInternalIp(0), '10.244.0.1');
  assert.equal(nodeInternalIp(255), '10.244.1.0');
  assert.notEqual(nodeInternalIp(1), nodeInternalIp(2));
});

test('PodIpAllocator hands out distinct in-range addresses and reuses released ones', () => {
  const a = new PodIpAllocator('10.42.5.0/30'); // hosts .2 only (.0 network, .1 bridge, .3 broadcast)
  assert.equal(a.allocate('p1'), '10.42.5.2');
  assert.equal(a.allocate('p1'), '10.42.5.2', 'idempotent per owner');
  assert.equal(a.allocate('p2'), undefined, 'full');
  a.release('p1');
  assert.equal(a.allocate('p2'), '10.42.5.2');

  const b = new PodIpAllocator('10.42.1.0/24');
  assert.equal(b.reserve('old', '10.42.1.2'), true);
  assert.equal(b.reserve('other', '10.42.1.2'), false);
  assert.equal(b.reserve('x', '10.99.0.1'), false);
  assert.equal(b.allocate('new'), '10.42.1.3');
  // .2 .. .254 usable: 253 addresses, two taken above.
  const ips = new Set<string | undefined>();
  for (let i = 0; i < 251; i++) ips.add(b.allocate(`p${i}`));
  assert.equal(b.size, 253);
  assert.equal(ips.size, 251);
  assert.ok([...ips].every((ip) => ip !== undefined && b.contains(ip) && ip !== '10.42.1.255'));
  assert.equal(b.allocate('overflow'), undefined);
});
