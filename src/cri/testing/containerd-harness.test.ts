// The harness itself: dialing into the node's namespace from this process,
// and the clean-up when the owning process is killed without stop().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { startTestNode } from './containerd-harness.js';
import { testContainerConfig, testSandboxConfig } from './configs.js';
import { NetnsDialError } from './netns-dialer.js';
import { descendants, isAlive, listProcesses, shimsOf } from '../../agent/processes.js';
import { mountsUnder } from '../../agent/mounts.js';
import { waitFor } from '../../testing/wait-for.js';

function get(url: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('dialer: HTTP to a pod IP from the host process through the node namespace', async () => {
  const node = await startTestNode();
  try {
    const sc = testSandboxConfig(node, 'dial');
    const sandboxId = await node.cri.runPodSandbox(sc);
    const ip = (await node.cri.podSandboxStatus(sandboxId))!.network!.ip;
    const id = await node.cri.createContainer(sandboxId, testContainerConfig('web', ['sh', '-c', 'mkdir /www && echo dialed > /www/index.html && exec httpd -f -p 80 -h /www']), sc);
    await node.cri.startContainer(id);
    const agent = node.dialer.agent();
    const res = await waitFor(() => get(`http://${ip}/`, agent), { timeoutMs: 10_000, what: 'pod httpd via dialer' });
    assert.deepEqual(res, { status: 200, body: 'dialed\n' });
    await assert.rejects(node.dialer.connect(ip, 81), NetnsDialError);
    // The pod is not reachable from the host namespace itself.
    assert.equal((await node.run('true', [])).code, 0);
  } finally {
    await node.stop();
  }
});

const OWNER = `
const { startTestNode } = await import(process.argv[1]);
const { testContainerConfig, testSandboxConfig } = await import(process.argv[2]);
const node = await startTestNode();
const sc = testSandboxConfig(node, 'orphan');
const sid = await node.cri.runPodSandbox(sc);
const cid = await node.cri.createContainer(sid, testContainerConfig('sleeper', ['sleep', '3600']), sc);
await node.cri.startContainer(cid);
process.stdout.write(JSON.stringify({ dir: node.dir, netns: node.netns, socket: node.socket }) + '\\n');
setInterval(() => {}, 1000);
`;

test('a killed owner process: the reaper removes containerd, shims, containers, mounts, namespace and dir', async () => {
  const harness = fileURLToPath(new URL('./containerd-harness.js', import.meta.url));
  const configs = fileURLToPath(new URL('./configs.js', import.meta.url));
  const owner = spawn(process.execPath, ['--input-type=module', '-e', OWNER, harness, configs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ dir: string; netns: string; socket: string }>((resolve, reject) => {
    let out = '';
    owner.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    owner.on('exit', (code) => reject(new Error(`owner exited ${code}`)));
  });
  const mine = () => listProcesses().filter((p) => p.argv.some((a) => a.includes(info.dir)));
  assert.ok(mine().length >= 2, 'containerd and a shim run');
  assert.ok(mountsUnder(info.dir).length > 0);
  const containers = shimsOf(info.socket).flatMap((s) => descendants(s.pid));
  assert.ok(containers.some((p) => p.argv.join(' ') === 'sleep 3600'), 'the container runs');
  owner.kill('SIGKILL');
  await waitFor(() => mine().length === 0 && !existsSync(info.dir) && !existsSync(`/run/netns/${info.netns}`), { timeoutMs: 30_000, what: 'reaper clean-up' });
  assert.deepEqual(mountsUnder(info.dir), []);
  assert.deepEqual(containers.filter((p) => isAlive(p.pid)), [], 'container processes gone');
});

test('two nodes at once stay apart: own namespaces, bridges, IP ranges and clean-up', async () => {
  const [a, b] = await Promise.all([startTestNode({ podCIDR: '10.88.201.0/24' }), startTestNode({ podCIDR: '10.88.202.0/24' })]);
  try {
    assert.notEqual(a.netns, b.netns);
    assert.notEqual(a.socket, b.socket);
    const ips = await Promise.all(
      [a, b].map(async (n) => {
        const id = await n.cri.runPodSandbox(testSandboxConfig(n, 'twin'));
        return (await n.cri.podSandboxStatus(id))!.network!.ip;
      }),
    );
    assert.match(ips[0]!, /^10\.88\.201\./);
    assert.match(ips[1]!, /^10\.88\.202\./);
    // Each node sees only its own sandboxes.
    assert.equal((await a.cri.listPodSandbox()).length, 1);
    assert.equal((await b.cri.listPodSandbox()).length, 1);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  for (const n of [a, b]) {
    assert.equal(existsSync(n.dir), false);
    assert.equal(existsSync(n.netnsPath), false);
    assert.deepEqual(shimsOf(n.socket), []);
  }
});
