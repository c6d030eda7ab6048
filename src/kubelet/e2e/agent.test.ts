// Issue 5's acceptance for a separately joined agent: `kubets agent` joins a
// server with the node token; static pods appear as mirror pods; images come
// from a private registry with imagePullSecrets; a `kill -9` of the agent and
// a restart restarts nothing and removes the containers of a pod deleted
// while it was down. All inside a private network namespace.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestNetns, type TestNetns } from '../../testing/netns.js';
import { KUBETS_BIN, startServerProcess, type ServerProcess } from '../../testing/server-process.js';
import { waitFor } from '../../testing/wait-for.js';
import { startTestRegistry, type TestRegistry } from '../../cri/testing/registry.js';
import { CriClient } from '../../cri/grpc-client.js';

const BUSYBOX = 'kubets.local/busybox:1.35';
let netns: TestNetns;
let server: ServerProcess;
let agentDir: string;
let agent: ChildProcess | undefined;
let agentLog = '';
let registry: TestRegistry;

async function k(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl('1.33', args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

interface PodJson {
  metadata: { name: string; uid: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount: number; containerID?: string; state?: Record<string, { reason?: string; startedAt?: string }> }[] };
}
const ready = (p: PodJson) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
// Waits read through the API in-process: a kubectl per poll costs a process start.
const getPod = (ns: string, name: string) => server.get<PodJson>(`/api/v1/namespaces/${ns}/pods/${name}`);

function startAgent(): ChildProcess {
  const token = fs.readFileSync(path.join(server.dataDir, 'node-token'), 'utf8').trim();
  const child = spawn(netns.prefix[0]!, [...netns.prefix.slice(1), process.execPath, KUBETS_BIN, 'agent', '--server', server.url, '--token', token, '--node-name', 'worker-1', '--node-ip', netns.nodeIP, '--data-dir', agentDir, '--insecure-registry', registry.host], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d) => (agentLog += d));
  return child;
}

before(async () => {
  netns = await createTestNetns();
  server = await startServerProcess({ netnsPrefix: netns.prefix });
  agentDir = path.join(server.dataDir, 'worker-1');
  fs.mkdirSync(path.join(agentDir, 'manifests'), { recursive: true });
  // A static pod, there before the agent starts.
  fs.writeFileSync(path.join(agentDir, 'manifests', 'static-web.yaml'), [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: static-web', '  namespace: default', 'spec:', '  containers:',
    `  - name: web`, `    image: ${BUSYBOX}`, `    command: ["sh", "-c", "exec httpd -f -p 80"]`, '',
  ].join('\n'));
  registry = await startTestRegistry({ netnsPath: netns.path, auth: { username: 'puller', password: 'secret-pw' } });
  agent = startAgent();
  await waitFor(async () => {
    const nodes = await server.get<{ items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] }>('/api/v1/nodes');
    return nodes.items.some((n) => n.metadata.name === 'worker-1' && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  }, { timeoutMs: 60_000, what: `worker-1 to be Ready; agent log:\n${agentLog}`, intervalMs: 250 });
});

after(async () => {
  if (agent && agent.exitCode === null) {
    agent.kill('SIGTERM');
    await new Promise((r) => agent!.once('exit', r));
  }
  await registry?.stop();
  await server?.stop();
  await netns?.remove();
});

describe('kubets agent joined with the node token', () => {
  it('a static pod appears as a mirror pod', async () => {
    const p = await waitFor(async () => {
      const cur = await getPod('default', 'static-web-worker-1');
      return ready(cur) ? cur : null;
    }, { timeoutMs: 60_000, what: 'the mirror pod to be Ready', intervalMs: 250 });
    assert.ok(p.metadata.annotations?.['kubernetes.io/config.mirror'], 'config.mirror annotation');
    assert.equal(p.metadata.annotations?.['kubernetes.io/config.source'], 'file');
    assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'Node');
    // exec through the mirror reaches the static pod's container (the mirror has its own UID).
    assert.equal((await k(['exec', 'static-web-worker-1', '--', 'echo', 'static-ok'])).trim(), 'static-ok');
  });

  it('pulls from a registry that needs auth, with imagePullSecrets', async () => {
    await k(['create', 'namespace', 'pull']);
    const image = registry.busyboxRef;
    // Without credentials the pull fails, visibly.
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nocreds', namespace: 'pull' }, spec: { containers: [{ name: 'c', image, command: ['sleep', '3600'] }] } }));
    await waitFor(async () => {
      const reason = (await getPod('pull', 'nocreds')).status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return reason === 'ErrImagePull' || reason === 'ImagePullBackOff';
    }, { timeoutMs: 60_000, what: 'ErrImagePull without credentials', intervalMs: 250 });
    await k(['-n', 'pull', 'create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry.host}`, '--docker-username=puller', '--docker-password=secret-pw']);
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'withcreds', namespace: 'pull' }, spec: { imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'c', image, command: ['sleep', '3600'] }] } }));
    await waitFor(async () => ready(await getPod('pull', 'withcreds')), { timeoutMs: 60_000, what: 'the pod with credentials to run', intervalMs: 250 });
  });

  // One agent restart serves both checks: a restart costs a Node.js start and containerd's, seconds each on a starved host.
  it('kill -9 of the agent and a restart restarts nothing, and removes the containers of a pod deleted meanwhile', async () => {
    await k(['create', 'namespace', 'adopt']);
    const sleeper = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'adopt' }, spec: { containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }] } });
    await k(['apply', '-f', '-'], sleeper('steady'));
    await k(['apply', '-f', '-'], sleeper('doomed'));
    const readyPod = (name: string) => waitFor(async () => {
      const p = await getPod('adopt', name);
      return ready(p) ? p : null;
    }, { timeoutMs: 60_000, what: `${name} Ready`, intervalMs: 250 });
    const before = await readyPod('steady');
    const doomed = await readyPod('doomed');
    const cri = new CriClient(path.join(agentDir, 'agent', 'containerd', 'containerd.sock'));
    try {
      const doomedContainers = async () => (await cri.listContainers({ label_selector: { 'io.kubernetes.pod.uid': doomed.metadata.uid } })).length;
      assert.equal(await doomedContainers(), 1);
      agent!.kill('SIGKILL');
      await new Promise((r) => agent!.once('exit', r));
      await k(['-n', 'adopt', 'delete', 'pod', 'doomed', '--grace-period=0', '--force']);
      const mark = agentLog.length;
      agent = startAgent();
      // The restarted agent logs once it has synced every pod it found (and would have restarted any by then).
      await waitFor(() => agentLog.slice(mark).includes('initial pod sync done'), { timeoutMs: 30_000, what: 'the restarted agent to sync its pods', intervalMs: 100 }).catch((err: Error) => {
        throw new Error(`${err.message}; the agent logged:\n${agentLog.slice(mark).slice(-4000)}`);
      });
      const after = await getPod('adopt', 'steady');
      const b = before.status!.containerStatuses![0]!;
      const a = after.status!.containerStatuses![0]!;
      assert.equal(a.containerID, b.containerID, 'same container');
      assert.equal(a.restartCount, 0);
      assert.equal(a.state?.running?.startedAt, b.state?.running?.startedAt);
      const mirror = await getPod('default', 'static-web-worker-1');
      assert.equal(mirror.status?.containerStatuses?.[0]?.restartCount, 0, 'the static pod was not restarted either');
      await waitFor(async () => (await doomedContainers()) === 0, { timeoutMs: 30_000, what: 'the orphaned container removed', intervalMs: 250 });
      assert.equal((await cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': doomed.metadata.uid } })).length, 0, 'its sandbox too');
    } finally {
      cri.close();
    }
  });
});
