// Issue 6's multi-node acceptance, on a real `kubets cluster up --nodes 3`:
// three Ready nodes through the host's loopback kubeconfig, a pod on node 1
// reaches an httpd pod on node 3 by pod IP (host-gw routes), and `cluster
// down` leaves no namespace, interface, process, mount or cgroup behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KUBETS_BIN, kubectlPath, run } from '../../testing/server-process.js';
import { waitFor } from '../../testing/wait-for.js';
import { readState, type ClusterState } from '../state.js';
import { allNetns, clusterCgroupRoot } from '../topology.js';

const BUSYBOX = 'kubets.local/busybox:1.35';
// httpd with a page and a CGI that echoes the client's address (to see that pod-to-pod traffic is not masqueraded).
const WEB_SCRIPT = [
  'mkdir -p /www/cgi-bin',
  'echo "hello from $(hostname)" > /www/index.html',
  `printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip`,
  'chmod +x /www/cgi-bin/ip',
  'exec httpd -f -p 80 -h /www',
].join(' && ');
let dataDir: string;
let up: ChildProcess;
let upExit: Promise<number | null>;
let upOut = '';
let state: ClusterState;

async function k(args: string[], input?: string): Promise<string> {
  const r = await run(kubectlPath('1.33'), args, { input, env: { ...process.env, KUBECONFIG: path.join(dataDir, 'kubeconfig.yaml'), HOME: dataDir } });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const down = () => run(process.execPath, [KUBETS_BIN, 'cluster', 'down', '--data-dir', dataDir], { timeoutMs: 180_000 });

/** Processes that mention the data dir: server, agents, their containerds and shims all do. */
function processesUsing(dir: string): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dir) && Number(pid) !== process.pid) out.push(`${pid} ${cmd}`);
    } catch {
      /* exited */
    }
  }
  return out;
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-cluster-'));
  up = spawn(process.execPath, [KUBETS_BIN, 'cluster', 'up', '--nodes', '3', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  upExit = new Promise((r) => up.once('exit', (code) => r(code)));
  up.stdout!.on('data', (d) => (upOut += d));
  up.stderr!.on('data', (d) => (upOut += d));
  await waitFor(() => {
    if (up.exitCode !== null) throw new Error(`cluster up exited ${up.exitCode}:\n${upOut}`);
    return upOut.includes('kubets cluster is up');
  }, { timeoutMs: 120_000, intervalMs: 200, what: `cluster up; output:\n${upOut}` });
  state = readState(dataDir)!;
});

after(async () => {
  // Only does anything if a test failed before its own `down`.
  if (fs.existsSync(path.join(dataDir, 'cluster.json'))) await down();
  if (up.exitCode === null) up.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('kubets cluster up --nodes 3', () => {
  it('has three Ready nodes, reached from the host over loopback', async () => {
    const kc = fs.readFileSync(path.join(dataDir, 'kubeconfig.yaml'), 'utf8');
    assert.match(kc, /server: https:\/\/127\.0\.0\.1:\d+/);
    const nodes = await waitFor(async () => {
      const list = JSON.parse(await k(['get', 'nodes', '-o', 'json'])) as { items: { metadata: { name: string }; spec: { podCIDR?: string }; status: { addresses: { type: string; address: string }[]; conditions: { type: string; status: string }[] } }[] };
      const ready = list.items.filter((n) => n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === 3 ? list.items : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250, what: '3 Ready nodes' });
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['node-1', 'node-2', 'node-3']);
    assert.equal(new Set(nodes.map((n) => n.status.addresses.find((a) => a.type === 'InternalIP')?.address)).size, 3);
    assert.equal(new Set(nodes.map((n) => n.spec.podCIDR)).size, 3);
  });

  it('keeps the cluster inside its namespaces: no default route in them, no cluster route on the host', async () => {
    for (const ns of allNetns(state.topology)) {
      const routes = (await run('ip', ['-n', ns, 'route', 'show', 'default'])).stdout.trim();
      assert.equal(routes, '', `default route in ${ns}`);
    }
    const serverRoutes = (await run('ip', ['-n', state.topology.server.netns, 'route', 'show', 'proto', '201'])).stdout.trim().split('\n');
    assert.equal(serverRoutes.length, 3, `server namespace pod routes:\n${serverRoutes.join('\n')}`);
    const host = (await run('ip', ['route', 'show'])).stdout;
    assert.doesNotMatch(host, /10\.42\.|172\.28\.0\./);
    assert.equal((await run('sysctl', ['-n', 'net.ipv4.ip_forward'])).stdout.trim(), '0', 'forwarding stays off on the host');
  });

  it('a pod on node 1 reaches an httpd pod on node 3 by pod IP', async () => {
    const pods = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }] } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: {
          nodeSelector: { 'kubernetes.io/hostname': 'node-3' },
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', WEB_SCRIPT] }],
        },
      },
    ];
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }));
    await k(['wait', '--for=condition=Ready', 'pod/p1', 'pod/web', '--timeout=60s']);
    const web = JSON.parse(await k(['get', 'pod', 'web', '-o', 'json'])) as { spec: { nodeName: string }; status: { podIP: string } };
    const p1 = JSON.parse(await k(['get', 'pod', 'p1', '-o', 'json'])) as { status: { podIP: string } };
    assert.equal(web.spec.nodeName, 'node-3');
    const node3 = JSON.parse(await k(['get', 'node', 'node-3', '-o', 'json'])) as { spec: { podCIDR: string } };
    assert.equal(web.status.podIP.split('.').slice(0, 3).join('.'), node3.spec.podCIDR.split('.').slice(0, 3).join('.'), 'web has an IP from node-3 podCIDR');
    assert.notEqual(p1.status.podIP.split('.')[2], web.status.podIP.split('.')[2], 'different node subnets');
    const body = await k(['exec', 'p1', '--', 'wget', '-qO-', `http://${web.status.podIP}/`]);
    assert.equal(body.trim(), 'hello from web');
    const seen = await k(['exec', 'p1', '--', 'wget', '-qO-', `http://${web.status.podIP}/cgi-bin/ip`]);
    // httpd listens on IPv6 and prints v4 clients as [::ffff:a.b.c.d].
    assert.equal(seen.trim().replace(/^\[(::ffff:)?|\]$/g, ''), p1.status.podIP, 'pod-to-pod across nodes keeps the source IP (masquerade only leaves the cluster CIDR)');
    // The server's namespace routes pod CIDRs too: the API server side reaches pods directly.
    const fromServer = await run('nsenter', [`--net=/run/netns/${state.topology.server.netns}`, 'busybox', 'wget', '-qO-', `http://${web.status.podIP}/`]);
    assert.equal(fromServer.stdout.trim(), 'hello from web', fromServer.stderr);
    assert.ok(fs.existsSync(path.join('/sys/fs/cgroup/memory', clusterCgroupRoot(state.topology), 'node-1')), 'pods live under the cluster cgroup');
  });

  it('masquerades pod traffic that leaves the cluster CIDR (to the server node address)', async () => {
    // An httpd in the server's namespace, which routes no pod CIDR: replies reach p1 only if node-1 masqueraded.
    const www = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-www-'));
    fs.mkdirSync(path.join(www, 'cgi-bin'));
    fs.writeFileSync(path.join(www, 'cgi-bin', 'ip'), '#!/bin/sh\necho Content-Type: text/plain\necho\necho $REMOTE_ADDR\n', { mode: 0o755 });
    const server = state.topology.server;
    const httpd = spawn('nsenter', [`--net=/run/netns/${server.netns}`, 'busybox', 'httpd', '-f', '-p', `${server.ip}:8080`, '-h', www], { stdio: 'ignore' });
    try {
      const seen = await waitFor(async () => {
        const r = await run(kubectlPath('1.33'), ['exec', 'p1', '--', 'wget', '-qO-', `http://${server.ip}:8080/cgi-bin/ip`], { env: { ...process.env, KUBECONFIG: path.join(dataDir, 'kubeconfig.yaml'), HOME: dataDir } });
        return r.code === 0 ? r.stdout.trim() : undefined;
      }, { timeoutMs: 10_000, intervalMs: 200, what: 'httpd in the server namespace' });
      const node1 = state.topology.agents[0]!;
      assert.equal(seen, node1.ip, 'source address rewritten to node-1 address');
    } finally {
      httpd.kill('SIGKILL');
      fs.rmSync(www, { recursive: true, force: true });
    }
  });

  it('cluster down leaves nothing behind', async () => {
    const r = await down();
    assert.equal(r.code, 0, `cluster down failed:\n${r.stderr}\n${r.stdout}`);
    assert.equal(await upExit, 0, `cluster up exit; output:\n${upOut}`);
    const netns = (await run('ip', ['netns', 'list'])).stdout;
    for (const ns of allNetns(state.topology)) assert.doesNotMatch(netns, new RegExp(`^${ns}\\b`, 'm'));
    assert.doesNotMatch((await run('ip', ['link', 'show'])).stdout, /kc-|kc0/);
    assert.deepEqual(processesUsing(dataDir), []);
    assert.equal(fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(dataDir), false, 'no mount under the data dir');
    assert.equal(fs.existsSync(path.join('/sys/fs/cgroup/memory', clusterCgroupRoot(state.topology))), false, 'no pod cgroups');
    assert.equal(fs.existsSync(path.join(dataDir, 'cluster.json')), false);
  });
});
