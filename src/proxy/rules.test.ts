import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32, endpointChain, serviceChain } from './chain-names.js';
import { computeRules, generateRules, isOwnedChain, JUMP_RULES, probability, renderTable } from './rules.js';
import { buildServicePorts, type EndpointSliceObject, type ServiceObject } from './service-ports.js';

const NODE = { name: 'n1', ips: ['192.0.2.1'] };
const CIDR = '10.42.0.0/16';

function svc(name: string, spec: ServiceObject['spec'], status?: ServiceObject['status']): ServiceObject {
  return { metadata: { namespace: 'default', name }, spec: { clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec }, status };
}
type Ep = { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean; node?: string };
function slice(service: string, eps: Ep[], port = 8080, portName = 'http', protocol = 'TCP'): EndpointSliceObject {
  return {
    metadata: { namespace: 'default', name: `${service}-abc`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: portName, port, protocol }],
    endpoints: eps.map((e) => ({ addresses: [e.ip], nodeName: e.node ?? 'n2', conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false } })),
  };
}
const gen = (svcs: ServiceObject[], slices: EndpointSliceObject[]) => computeRules(buildServicePorts(svcs, slices, NODE.name), { clusterCIDR: CIDR });
const SVC = serviceChain('KUBE-SVC-', 'default/web:http', 'TCP');
const SVL = serviceChain('KUBE-SVL-', 'default/web:http', 'TCP');
const EXT = serviceChain('KUBE-EXT-', 'default/web:http', 'TCP');
const sep = (ip: string, port = 8080) => endpointChain('default/web:http', 'TCP', ip, port);
const jumps = (rules: string[] | undefined) => (rules ?? []).map((r) => / -j (\S+)/.exec(r)?.[1]);

test('base32 matches RFC 4648 vectors', () => {
  assert.equal(base32(Buffer.from('foobar')), 'MZXW6YTBOI');
  assert.equal(base32(Buffer.from('f')), 'MY');
});

test('chain names are deterministic, distinct per port/protocol, and owned', () => {
  assert.equal(SVC, serviceChain('KUBE-SVC-', 'default/web:http', 'TCP'));
  assert.notEqual(SVC, serviceChain('KUBE-SVC-', 'default/web:http', 'UDP'));
  assert.match(SVC, /^KUBE-SVC-[A-Z2-7]{16}$/);
  assert.ok(SVC.length <= 28);
  assert.ok(isOwnedChain(SVC) && isOwnedChain(sep('10.42.0.5')) && isOwnedChain('KUBE-SERVICES'));
  assert.ok(!isOwnedChain('KUBE-FIREWALL') && !isOwnedChain('DOCKER') && !isOwnedChain('CNI-abc'));
});

test('ClusterIP: jump from KUBE-SERVICES, masquerade off-cluster sources, even spread, DNAT per endpoint', () => {
  const r = gen([svc('web', {})], [slice('web', [{ ip: '10.42.0.7' }, { ip: '10.42.0.5' }, { ip: '10.42.1.9' }])]);
  const services = r.nat.get('KUBE-SERVICES')!;
  assert.match(services[0]!, new RegExp(`-d 10\\.43\\.0\\.10/32 -p tcp -m tcp --dport 80 -j ${SVC}$`));
  assert.match(services.at(-1)!, /--dst-type LOCAL -j KUBE-NODEPORTS$/, 'node ports stay last');
  const chain = r.nat.get(SVC)!;
  assert.match(chain[0]!, new RegExp(`! -s ${CIDR.replace(/\./g, '\\.')} -j KUBE-MARK-MASQ$`));
  // Sorted endpoints, probabilities 1/3, 1/2, then the rest.
  assert.deepEqual(jumps(chain.slice(1)), [sep('10.42.0.5'), sep('10.42.0.7'), sep('10.42.1.9')]);
  assert.match(chain[1]!, /--probability 0\.3333333333 /);
  assert.match(chain[2]!, /--probability 0\.5000000000 /);
  assert.doesNotMatch(chain[3]!, /probability/);
  const s = r.nat.get(sep('10.42.0.5'))!;
  assert.match(s[0]!, /-s 10\.42\.0\.5\/32 -j KUBE-MARK-MASQ$/, 'hairpin');
  assert.match(s[1]!, /-p tcp -m tcp -j DNAT --to-destination 10\.42\.0\.5:8080$/);
  assert.deepEqual(r.filter.get('KUBE-SERVICES'), [], 'no rejects');
});

test('probabilities give every endpoint 1/n', () => {
  for (const n of [2, 3, 7]) {
    let left = 1;
    for (let i = 0; i < n - 1; i++) {
      const p = Number(probability(i, n));
      assert.ok(Math.abs(left * p - 1 / n) < 1e-9);
      left *= 1 - p;
    }
    assert.ok(Math.abs(left - 1 / n) < 1e-9);
  }
});

test('KUBE-MARK-MASQ and KUBE-POSTROUTING masquerade marked packets only', () => {
  const r = gen([], []);
  assert.deepEqual(r.nat.get('KUBE-MARK-MASQ'), ['-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000']);
  const post = r.nat.get('KUBE-POSTROUTING')!;
  assert.match(post[0]!, /-m mark ! --mark 0x4000\/0x4000 -j RETURN/);
  assert.match(post.at(-1)!, /-j MASQUERADE$/);
});

test('no usable endpoints: no nat jump, REJECT in filter KUBE-SERVICES (TCP reset / UDP port-unreachable)', () => {
  const r = gen([svc('web', {}), svc('dns', { clusterIP: '10.43.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] })], [slice('web', [{ ip: '10.42.0.5', ready: false, serving: false }])]);
  assert.equal(r.nat.has(SVC), false);
  assert.ok(!r.nat.get('KUBE-SERVICES')!.some((l) => l.includes('10.43.0.10')));
  const rej = r.filter.get('KUBE-SERVICES')!;
  assert.equal(rej.length, 2);
  assert.ok(rej.some((l) => /-d 10\.43\.0\.10\/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset/.test(l) && l.includes('has no endpoints')));
  assert.ok(rej.some((l) => /-d 10\.43\.0\.53\/32 -p udp -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable/.test(l)));
});

test('with the service CIDR: unmatched service traffic is rejected after the per-service rejects, nothing for matched services', () => {
  const ports = buildServicePorts([svc('web', {}), svc('empty', { clusterIP: '10.43.0.11' })], [slice('web', [{ ip: '10.42.0.5' }])], NODE.name);
  const rej = computeRules(ports, { clusterCIDR: CIDR, serviceCIDR: '10.43.0.0/16' }).filter.get('KUBE-SERVICES')!;
  assert.equal(rej.length, 3);
  assert.match(rej[0]!, /-d 10\.43\.0\.11\/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset$/);
  // TCP gets a reset (never rate-limited), everything else port-unreachable; both last.
  assert.match(rej[1]!, /"unmatched service traffic" -d 10\.43\.0\.0\/16 -p tcp -j REJECT --reject-with tcp-reset$/);
  assert.match(rej[2]!, /"unmatched service traffic" -d 10\.43\.0\.0\/16 -j REJECT --reject-with icmp-port-unreachable$/);
  assert.ok(!rej.some((l) => l.includes('10.43.0.10/32')), 'the service with an endpoint is left to nat');
  // The filter chain is hooked for NEW connections from FORWARD (pods) and OUTPUT (the node).
  const hooked = JUMP_RULES.filter(([t, , args]) => t === 'filter' && args.at(-1) === 'KUBE-SERVICES').map(([, chain, args]) => `${chain} ${args.slice(0, 4).join(' ')}`);
  assert.deepEqual(hooked.sort(), ['FORWARD -m conntrack --ctstate NEW', 'OUTPUT -m conntrack --ctstate NEW']);
});

test('only ready endpoints; terminating serving endpoints only as a fallback', () => {
  const mixed = gen([svc('web', {})], [slice('web', [{ ip: '10.42.0.5' }, { ip: '10.42.0.6', ready: false, serving: true, terminating: true }, { ip: '10.42.0.7', ready: false, serving: false }])]);
  assert.deepEqual(jumps(mixed.nat.get(SVC)!.slice(1)), [sep('10.42.0.5')]);
  assert.equal(mixed.nat.has(sep('10.42.0.6')), false);
  const fallback = gen([svc('web', {})], [slice('web', [{ ip: '10.42.0.6', ready: false, serving: true, terminating: true }, { ip: '10.42.0.7', ready: false, serving: false, terminating: true }])]);
  assert.deepEqual(jumps(fallback.nat.get(SVC)!.slice(1)), [sep('10.42.0.6')]);
});

test('headless and ExternalName services get no rules', () => {
  const r = gen([svc('web', { clusterIP: 'None' }), svc('ext', { type: 'ExternalName', clusterIP: '' })], [slice('web', [{ ip: '10.42.0.5' }])]);
  assert.deepEqual([...r.nat.keys()].filter((c) => !['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'].includes(c)), []);
  assert.equal(r.nat.get('KUBE-SERVICES')!.length, 1);
  assert.deepEqual(r.filter.get('KUBE-SERVICES'), []);
});

test('sessionAffinity ClientIP: recent checks with the timeout before the spread, recent --set in the endpoint chain', () => {
  const r = gen([svc('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } })], [slice('web', [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }])]);
  const chain = r.nat.get(SVC)!;
  assert.equal(chain.length, 1 + 2 + 2);
  for (const [i, ip] of ['10.42.0.5', '10.42.0.6'].entries()) {
    assert.match(chain[1 + i]!, new RegExp(`-m recent --name ${sep(ip)} --mask 255\\.255\\.255\\.255 --rsource --rcheck --seconds 600 --reap -j ${sep(ip)}$`));
    assert.match(r.nat.get(sep(ip))![1]!, new RegExp(`-m recent --name ${sep(ip)} --mask 255\\.255\\.255\\.255 --rsource --set -m tcp -j DNAT`));
  }
  const dflt = gen([svc('web', { sessionAffinity: 'ClientIP' })], [slice('web', [{ ip: '10.42.0.5' }])]);
  assert.match(dflt.nat.get(SVC)![1]!, /--seconds 10800 /);
});

test('NodePort: KUBE-NODEPORTS → KUBE-EXT (masquerade) → KUBE-SVC; reject on the node port when empty', () => {
  const spec = { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }] };
  const r = gen([svc('web', spec)], [slice('web', [{ ip: '10.42.0.5' }])]);
  assert.deepEqual(r.nat.get('KUBE-NODEPORTS'), [`-A KUBE-NODEPORTS -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j ${EXT}`]);
  assert.deepEqual(jumps(r.nat.get(EXT)), ['KUBE-MARK-MASQ', SVC]);
  const empty = gen([svc('web', spec)], []);
  assert.equal(empty.nat.get('KUBE-NODEPORTS')!.length, 0);
  assert.match(empty.filter.get('KUBE-EXTERNAL-SERVICES')![0]!, /--dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT/);
});

test('LoadBalancer and external IPs jump to KUBE-EXT from KUBE-SERVICES', () => {
  const r = gen(
    [svc('web', { type: 'LoadBalancer', externalIPs: ['198.51.100.7'], ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { hostname: 'x.example' }] } })],
    [slice('web', [{ ip: '10.42.0.5' }])],
  );
  const s = r.nat.get('KUBE-SERVICES')!;
  assert.ok(s.some((l) => l.includes('-d 192.0.2.1/32 -p tcp -m tcp --dport 80') && l.endsWith(`-j ${EXT}`)));
  assert.ok(s.some((l) => l.includes('-d 198.51.100.7/32 -p tcp -m tcp --dport 80') && l.endsWith(`-j ${EXT}`)));
  assert.equal(r.nat.get('KUBE-NODEPORTS')!.length, 1);
});

test('internalTrafficPolicy Local: cluster IP → KUBE-SVL with node-local endpoints only, no masquerade; reject without local ones', () => {
  const r = gen([svc('web', { internalTrafficPolicy: 'Local' })], [slice('web', [{ ip: '10.42.0.5', node: 'n1' }, { ip: '10.42.1.5', node: 'n2' }])]);
  assert.ok(r.nat.get('KUBE-SERVICES')![0]!.endsWith(`-j ${SVL}`));
  assert.deepEqual(jumps(r.nat.get(SVL)), [sep('10.42.0.5')]);
  assert.ok(!r.nat.get(SVL)!.some((l) => l.includes('KUBE-MARK-MASQ')));
  const none = gen([svc('web', { internalTrafficPolicy: 'Local' })], [slice('web', [{ ip: '10.42.1.5', node: 'n2' }])]);
  assert.match(none.filter.get('KUBE-SERVICES')![0]!, /has no local endpoints.*-j REJECT/);
});

test('externalTrafficPolicy Local: external traffic to local endpoints unmasqueraded; pods and the node use the whole service', () => {
  const spec = { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }] };
  const r = gen([svc('web', spec)], [slice('web', [{ ip: '10.42.0.5', node: 'n1' }, { ip: '10.42.1.5', node: 'n2' }])]);
  const ext = r.nat.get(EXT)!;
  assert.match(ext[0]!, new RegExp(`-s ${CIDR.replace(/\./g, '\\.')} -j ${SVC}$`));
  assert.match(ext[1]!, /--src-type LOCAL -j KUBE-MARK-MASQ$/);
  assert.match(ext[2]!, new RegExp(`--src-type LOCAL -j ${SVC}$`));
  assert.equal(ext[3], `-A ${EXT} -j ${SVL}`);
  assert.deepEqual(jumps(r.nat.get(SVL)), [sep('10.42.0.5')]);
  assert.deepEqual(jumps(r.nat.get(SVC)!.slice(1)), [sep('10.42.0.5'), sep('10.42.1.5')]);
  const noLocal = gen([svc('web', spec)], [slice('web', [{ ip: '10.42.1.5', node: 'n2' }])]);
  assert.match(noLocal.filter.get('KUBE-EXTERNAL-SERVICES')![0]!, /--dport 30080 -j DROP$/);
  assert.ok(noLocal.nat.get('KUBE-SERVICES')![0]!.endsWith(`-j ${SVC}`), 'the cluster IP still works');
});

test('ports are matched by name and protocol across slices, duplicates collapse', () => {
  const svcs = [svc('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] })];
  const slices = [slice('web', [{ ip: '10.42.0.5' }]), { ...slice('web', [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }]), metadata: { namespace: 'default', name: 'web-2', labels: { 'kubernetes.io/service-name': 'web' } } }, slice('web', [{ ip: '10.42.0.9' }], 5353, 'dns', 'UDP')];
  const ports = buildServicePorts(svcs, slices, 'n1');
  assert.deepEqual(ports.map((p) => [p.key, p.protocol, p.endpoints.map((e) => `${e.ip}:${e.port}`)]), [
    ['default/web:dns', 'UDP', ['10.42.0.9:5353']],
    ['default/web:http', 'TCP', ['10.42.0.5:8080', '10.42.0.6:8080']],
  ]);
});

test('restore text declares chains before rules, deletes stale chains, and is deterministic', () => {
  const a = generateRules([svc('web', {})], [slice('web', [{ ip: '10.42.0.5' }])], NODE, { clusterCIDR: CIDR });
  const b = generateRules([svc('web', {})], [slice('web', [{ ip: '10.42.0.5' }])], NODE, { clusterCIDR: CIDR });
  assert.equal(a.nat, b.nat);
  const lines = a.nat.split('\n');
  assert.equal(lines[0], '*nat');
  const lastDecl = lines.map((l) => l.startsWith(':')).lastIndexOf(true);
  const firstRule = lines.findIndex((l) => l.startsWith('-A'));
  assert.ok(lastDecl < firstRule);
  assert.ok(lines.includes(`:${SVC} - [0:0]`));
  assert.equal(lines.at(-2), 'COMMIT');
  const del = renderTable('nat', a.rules.nat, ['KUBE-SERVICES'], ['KUBE-SVC-AAAAAAAAAAAAAAAA']);
  assert.match(del, /:KUBE-SVC-AAAAAAAAAAAAAAAA - \[0:0\]\n[\s\S]*-X KUBE-SVC-AAAAAAAAAAAAAAAA\nCOMMIT/);
});

test('cached computation equals a fresh one across changes, additions and removals', async () => {
  const { RulesCache } = await import('./rules.js');
  const cache = new RulesCache();
  const portsCache = new WeakMap();
  const web = svc('web', {});
  const api = svc('api', { clusterIP: '10.43.0.20', sessionAffinity: 'ClientIP' });
  let slices = [slice('web', [{ ip: '10.42.0.5' }]), slice('api', [{ ip: '10.42.0.8' }])];
  const same = (svcs: ServiceObject[]) => {
    const cached = computeRules(buildServicePorts(svcs, slices, 'n1', portsCache), { clusterCIDR: CIDR }, cache);
    const fresh = computeRules(buildServicePorts(svcs, slices, 'n1'), { clusterCIDR: CIDR });
    assert.deepEqual([...cached.nat], [...fresh.nat]);
    assert.deepEqual([...cached.filter], [...fresh.filter]);
  };
  same([web, api]);
  same([web, api]);
  slices = [slice('web', [{ ip: '10.42.0.6' }, { ip: '10.42.0.7' }]), slices[1]!];
  same([web, api]);
  same([web]);
  slices = [slices[0]!];
  same([web, api]);
});
