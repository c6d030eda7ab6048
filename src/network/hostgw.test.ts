// Component test: two node namespaces joined by a bridge in a third, a real
// API server (loopback), and host-gw in each namespace. Checks the routes each
// keeps, that a pod-CIDR address on one node answers from the other, node
// add/delete, and that cleanup leaves no route or chain behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Node } from '../api/core-v1.js';
import { runCommand } from '../agent/run-command.js';
import { createNetNs, type NetNs } from '../cri/testing/netns.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { silentLogger } from '../util/log.js';
import { MASQ_CHAIN, startHostGw, type RunningHostGw } from './hostgw.js';

const CLUSTER_CIDR = '10.42.0.0/16';
let cp: TestControlPlane;
let bridgeNs: NetNs;
const nodes: { name: string; ip: string; podCIDR: string; ns: NetNs; gw?: RunningHostGw }[] = [];

async function putNode(name: string, ip: string, podCIDR: string): Promise<void> {
  const created = await cp.client.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR, podCIDRs: [podCIDR] } } as Node);
  await cp.client.nodes.updateStatus({ ...created, status: { addresses: [{ type: 'InternalIP', address: ip }] } });
}

async function podRoutes(ns: NetNs): Promise<string[]> {
  const out = (await ns.run('ip', ['-4', 'route', 'show', 'proto', '201'])).stdout;
  return out.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter(Boolean).sort();
}

before(async () => {
  cp = await startTestControlPlane();
  bridgeNs = await createNetNs('kt-br-');
  await bridgeNs.run('ip', ['link', 'add', 'br0', 'type', 'bridge']);
  await bridgeNs.run('ip', ['link', 'set', 'br0', 'up']);
  const tag = randomBytes(2).toString('hex');
  for (const [i, name] of ['gw-a', 'gw-b'].entries()) {
    const ns = await createNetNs('kt-n-');
    const n = { name, ip: `172.28.7.${11 + i}`, podCIDR: `10.42.${i}.0/24`, ns };
    nodes.push(n);
    const host = `v${tag}${i}`;
    await runCommand('ip', ['-n', bridgeNs.name, 'link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.name]);
    await bridgeNs.run('ip', ['link', 'set', host, 'master', 'br0', 'up']);
    await ns.run('ip', ['addr', 'add', `${n.ip}/24`, 'dev', 'eth0']);
    await ns.run('ip', ['link', 'set', 'eth0', 'up']);
    // A stand-in for a pod: the first address of the node's podCIDR, on lo.
    await ns.run('ip', ['addr', 'add', `10.42.${i}.1/32`, 'dev', 'lo']);
    await putNode(name, n.ip, n.podCIDR);
  }
  for (const n of nodes) n.gw = await startHostGw({ client: cp.client, nodeName: n.name, clusterCIDR: CLUSTER_CIDR, log: silentLogger, netnsPath: n.ns.path, resyncMs: 0 });
});

after(async () => {
  for (const n of nodes) await n.gw?.stop({ cleanup: true }).catch(() => undefined);
  for (const n of nodes) await n.ns.delete();
  await bridgeNs?.delete();
  await cp?.stop();
});

describe('host-gw', () => {
  it('routes each other node podCIDR via its address, and pods reach across', async () => {
    assert.deepEqual(await podRoutes(nodes[0]!.ns), ['10.42.1.0/24 via 172.28.7.12 dev eth0']);
    assert.deepEqual(await podRoutes(nodes[1]!.ns), ['10.42.0.0/24 via 172.28.7.11 dev eth0']);
    const ping = await nodes[0]!.ns.run('busybox', ['ping', '-c', '1', '-W', '2', '-I', '10.42.0.1', '10.42.1.1'], { allowFailure: true });
    assert.equal(ping.code, 0, `ping across nodes failed:\n${ping.stdout}${ping.stderr}`);
  });

  it('enables forwarding and masquerades pod traffic leaving the cluster CIDR, in the node namespace', async () => {
    for (const n of nodes) {
      assert.equal((await n.ns.run('sysctl', ['-n', 'net.ipv4.ip_forward'])).stdout.trim(), '1');
      const rules = (await n.ns.run('iptables', ['-w', '5', '-t', 'nat', '-S', MASQ_CHAIN])).stdout;
      assert.match(rules, /-A KUBETS-POSTRTG -s 10\.42\.0\.0\/16 -d 10\.42\.0\.0\/16 -j RETURN/);
      assert.match(rules, /-A KUBETS-POSTRTG -s 10\.42\.0\.0\/16 ! -d 224\.0\.0\.0\/4 -j MASQUERADE/);
      const post = (await n.ns.run('iptables', ['-w', '5', '-t', 'nat', '-S', 'POSTROUTING'])).stdout;
      assert.equal(post.split('\n').filter((l) => l.includes(`-j ${MASQ_CHAIN}`)).length, 1);
    }
  });

  it('adds a route when a node joins and removes it when the node is deleted', async () => {
    await putNode('gw-c', '172.28.7.13', '10.42.2.0/24');
    for (const n of nodes) await waitFor(async () => (await podRoutes(n.ns)).includes('10.42.2.0/24 via 172.28.7.13 dev eth0'), { what: `route to gw-c on ${n.name}` });
    await cp.client.nodes.delete(undefined, 'gw-c');
    for (const n of nodes) await waitFor(async () => !(await podRoutes(n.ns)).some((r) => r.startsWith('10.42.2.0/24')), { what: `gw-c route gone on ${n.name}` });
    assert.deepEqual(await podRoutes(nodes[0]!.ns), ['10.42.1.0/24 via 172.28.7.12 dev eth0']);
  });

  it('resync is idempotent and repairs a route removed behind its back', async () => {
    const a = nodes[0]!;
    await a.gw!.resync();
    assert.deepEqual(await podRoutes(a.ns), ['10.42.1.0/24 via 172.28.7.12 dev eth0']);
    await a.ns.run('ip', ['route', 'del', '10.42.1.0/24']);
    await a.ns.run('ip', ['route', 'add', '10.42.9.0/24', 'via', '172.28.7.12', 'proto', '201']);
    await a.gw!.resync();
    assert.deepEqual(await podRoutes(a.ns), ['10.42.1.0/24 via 172.28.7.12 dev eth0']);
  });

  it('cleanup removes its routes and chain', async () => {
    const b = nodes[1]!;
    await b.gw!.stop({ cleanup: true });
    b.gw = undefined;
    assert.deepEqual(await podRoutes(b.ns), []);
    assert.notEqual((await b.ns.run('iptables', ['-w', '5', '-t', 'nat', '-S', MASQ_CHAIN], { allowFailure: true })).code, 0);
    assert.doesNotMatch((await b.ns.run('iptables', ['-w', '5', '-t', 'nat', '-S', 'POSTROUTING'])).stdout, /KUBETS/);
  });
});
