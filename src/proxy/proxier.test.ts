import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetNs } from '../cri/testing/netns.js';
import type { CommandResult } from '../agent/run-command.js';
import { FakeClock } from '../util/clock.js';
import { waitFor } from '../testing/wait-for.js';
import { Proxier, type SyncResult } from './proxier.js';
import { serviceChain, endpointChain } from './chain-names.js';
import type { EndpointSliceObject, ServiceObject } from './service-ports.js';

function svc(name: string, ip: string, extra: Partial<NonNullable<ServiceObject['spec']>> = {}): ServiceObject {
  return { metadata: { namespace: 'default', name }, spec: { clusterIP: ip, ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...extra } };
}
function slice(service: string, ips: string[], protocol = 'TCP', portName = 'http'): EndpointSliceObject {
  return {
    metadata: { namespace: 'default', name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: portName, port: 8080, protocol }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'n1' })),
  };
}

test('coalesces changes within the min sync period and skips syncs that change nothing (fake runner)', async () => {
  const clock = new FakeClock(1000);
  const calls: string[] = [];
  const run = async (cmd: string, args: string[]): Promise<CommandResult> => {
    calls.push(`${cmd} ${args.join(' ')}`);
    return { code: cmd === 'iptables' && args.includes('-C') ? 1 : 0, stdout: '', stderr: '' };
  };
  let services = [svc('web', '10.43.0.10')];
  let slices = [slice('web', ['10.42.0.5'])];
  const p = new Proxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', run, clock, minSyncPeriodMs: 500, source: { services: () => services, endpointSlices: () => slices } });
  const results: SyncResult[] = [];
  p.onSync((r) => results.push(r));
  p.markChanged();
  clock.advance(0);
  await p.whenIdle();
  assert.equal(p.stats.restores, 1);
  assert.ok(results[0]!.full);
  assert.equal(calls.filter((c) => c.includes(' -I ')).length, 8, 'every jump inserted once');
  // Three changes inside the period: one sync, after the period.
  slices = [slice('web', ['10.42.0.6'])];
  p.markChanged();
  p.markChanged();
  clock.advance(100);
  p.markChanged();
  assert.equal(p.stats.syncs, 1);
  clock.advance(400);
  await p.whenIdle();
  assert.equal(p.stats.syncs, 2);
  assert.equal(p.stats.restores, 2);
  assert.deepEqual([results[1]!.natChains, results[1]!.filterChains, results[1]!.removed], [2, 0, 1], 'only KUBE-SVC and the new KUBE-SEP written; old KUBE-SEP removed');
  // Nothing changed: no restore at all.
  clock.advance(1000);
  p.markChanged();
  clock.advance(0);
  await p.whenIdle();
  assert.equal(p.stats.syncs, 3);
  assert.equal(p.stats.restores, 2);
  services = [];
  p.markChanged();
  clock.advance(1000);
  await p.whenIdle();
  assert.equal(results.at(-1)!.removed, 2);
  p.stop();
});

test('UDP: stale conntrack flows are flushed when an endpoint goes away and when a service gets its first endpoint (fake runner)', async () => {
  const clock = new FakeClock(0);
  const conntrack: string[] = [];
  const run = async (cmd: string, args: string[]): Promise<CommandResult> => {
    if (cmd === 'conntrack') conntrack.push(args.join(' '));
    return { code: 0, stdout: '', stderr: '' };
  };
  const dns = svc('dns', '10.43.0.53', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
  let slices: EndpointSliceObject[] = [];
  const p = new Proxier({ nodeName: 'n1', run, clock, minSyncPeriodMs: 0, source: { services: () => [dns], endpointSlices: () => slices } });
  const sync = async () => {
    p.markChanged();
    clock.advance(0);
    await p.whenIdle();
  };
  await sync();
  assert.deepEqual(conntrack, []);
  slices = [slice('dns', ['10.42.0.5', '10.42.0.6'], 'UDP', 'dns')];
  await sync();
  assert.deepEqual(conntrack.splice(0), ['-D -p udp --orig-dst 10.43.0.53']);
  slices = [slice('dns', ['10.42.0.6'], 'UDP', 'dns')];
  await sync();
  assert.deepEqual(conntrack.splice(0), ['-D -p udp --orig-dst 10.43.0.53 --reply-src 10.42.0.5']);
  p.stop();
});

test('applies rules inside a network namespace, leaves foreign rules alone, re-sync without change rewrites nothing, cleanup removes everything', async () => {
  const ns = await createNetNs('kt-prx-');
  try {
    const ipt = (args: string[]) => ns.run('iptables', ['-w', ...args]);
    // Without the dated header comments, so two saves of the same rules compare equal.
    const save = async (table: string) => (await ns.run('iptables-save', ['-t', table])).stdout.replace(/^#.*\n/gm, '');
    // Someone else's chain and jump (e.g. a CNI plugin's) must survive everything.
    await ipt(['-t', 'nat', '-N', 'CNI-OTHER']);
    await ipt(['-t', 'nat', '-A', 'CNI-OTHER', '-j', 'RETURN']);
    await ipt(['-t', 'nat', '-A', 'POSTROUTING', '-j', 'CNI-OTHER']);
    // A stale chain from an earlier run goes at the first sync.
    const stale = serviceChain('KUBE-SVC-', 'default/gone:http', 'TCP');
    await ipt(['-t', 'nat', '-N', stale]);

    let slices = [slice('web', ['10.42.0.5', '10.42.0.6'])];
    const services = [svc('web', '10.43.0.10', { sessionAffinity: 'ClientIP' }), svc('empty', '10.43.0.11')];
    const p = new Proxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', run: ns.run, minSyncPeriodMs: 10, fullSyncPeriodMs: 300, source: { services: () => services, endpointSlices: () => slices } });
    const results: SyncResult[] = [];
    p.onSync((r) => results.push(r));
    p.markChanged();
    await p.whenIdle();
    assert.equal(p.stats.failures, 0);
    let nat = await save('nat');
    const SVC = serviceChain('KUBE-SVC-', 'default/web:http', 'TCP');
    const sep5 = endpointChain('default/web:http', 'TCP', '10.42.0.5', 8080);
    assert.match(nat, /-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES/);
    assert.match(nat, /-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES/);
    assert.match(nat, new RegExp(`-A KUBE-SERVICES -d 10\\.43\\.0\\.10/32 -p tcp .*--dport 80 -j ${SVC}`));
    assert.match(nat, new RegExp(`-A ${SVC} .*-m statistic --mode random --probability 0\\.5\\d* -j ${sep5}`));
    assert.match(nat, new RegExp(`-A ${SVC} .*-m recent --rcheck --seconds 10800 --reap --name ${sep5} --mask 255\\.255\\.255\\.255 --rsource -j ${sep5}`));
    assert.match(nat, new RegExp(`-A ${sep5} .*-j DNAT --to-destination 10\\.42\\.0\\.5:8080`));
    assert.match(nat, /-A KUBE-POSTROUTING .*-j MASQUERADE/);
    assert.match(nat, /-A POSTROUTING -j CNI-OTHER/);
    assert.match(nat, /-A CNI-OTHER -j RETURN/);
    assert.doesNotMatch(nat, new RegExp(stale));
    const filter = await save('filter');
    assert.match(filter, /-A KUBE-SERVICES -d 10\.43\.0\.11\/32 -p tcp .*--dport 80 -j REJECT --reject-with tcp-reset/);
    assert.match(filter, /-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD/);

    // No change: nothing is run, the tables are byte-for-byte the same.
    const restores = p.stats.restores;
    p.markChanged();
    await p.whenIdle();
    assert.equal(p.stats.restores, restores);
    assert.equal(await save('nat'), nat);

    // One endpoint goes: only that service's chains change.
    const synced = results.length;
    slices = [slice('web', ['10.42.0.6'])];
    p.markChanged();
    await p.whenIdle();
    assert.equal(p.stats.restores, restores + 1);
    // The one sync that changed something (a periodic audit may have run since, changing nothing).
    const changed = results.slice(synced).filter((r) => r.natChains > 0 || r.removed > 0);
    assert.deepEqual(changed.map((r) => [r.natChains, r.removed]), [[1, 1]]);
    nat = await save('nat');
    assert.doesNotMatch(nat, new RegExp(sep5));
    assert.doesNotMatch(nat, /probability/);

    // A full sync (as after an error) neither duplicates the jumps nor fails.
    p.forceFullSync();
    await p.whenIdle();
    assert.equal((await save('nat')).match(/-A PREROUTING .*-j KUBE-SERVICES/g)?.length, 1);

    // Someone flushes one of our chains and deletes a jump: the periodic audit notices and repairs both.
    await ipt(['-t', 'nat', '-F', SVC]);
    await ipt(['-t', 'nat', '-D', 'OUTPUT', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']);
    await waitFor(async () => {
      const now = await save('nat');
      return new RegExp(`-A ${SVC} `).test(now) && /-A OUTPUT .*-j KUBE-SERVICES/.test(now);
    }, { timeoutMs: 10_000, what: 'audit repairs the chain and the jump' });

    await p.cleanup();
    nat = await save('nat');
    assert.doesNotMatch(nat, /KUBE-/);
    assert.doesNotMatch(await save('filter'), /KUBE-/);
    assert.match(nat, /-A POSTROUTING -j CNI-OTHER/);
  } finally {
    await ns.delete();
  }
});

test('UDP flows DNATed to a removed endpoint are deleted from the namespace conntrack table; others stay', async () => {
  const ns = await createNetNs('kt-prx-');
  try {
    const flow = (sport: number, ep: string) =>
      ns.run('conntrack', ['-I', '-p', 'udp', '-s', '10.88.77.9', '-d', '10.43.0.53', '--sport', String(sport), '--dport', '53', '-r', ep, '-q', '10.88.77.9', '--reply-port-src', '5353', '--reply-port-dst', String(sport), '-t', '120']);
    const flows = async () => (await ns.run('conntrack', ['-L', '-p', 'udp'], { allowFailure: true })).stdout;
    const dns = svc('dns', '10.43.0.53', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
    let slices = [slice('dns', ['10.42.0.5', '10.42.0.6'], 'UDP', 'dns')];
    const p = new Proxier({ nodeName: 'n1', run: ns.run, minSyncPeriodMs: 0, source: { services: () => [dns], endpointSlices: () => slices } });
    p.markChanged();
    await p.whenIdle();
    await flow(1234, '10.42.0.5');
    await flow(1235, '10.42.0.6');
    assert.equal((await flows()).split('\n').filter((l) => l.includes('dport=53')).length, 2);
    slices = [slice('dns', ['10.42.0.6'], 'UDP', 'dns')];
    p.markChanged();
    await p.whenIdle();
    const left = await flows();
    assert.doesNotMatch(left, /src=10\.42\.0\.5 /);
    assert.match(left, /src=10\.42\.0\.6 /);
    await p.cleanup();
  } finally {
    await ns.delete();
  }
});
