// Component tests of CriClient against a real containerd 1.6 running in a
// network namespace of the test's own (src/cri/testing/containerd-harness.ts).
import { test, before, after } from 'node:test';
import http from 'node:http';
import WebSocket from 'ws';
import assert from 'node:assert/strict';
import { startTestNode, type TestNode } from './testing/containerd-harness.js';
import { startTestRegistry } from './testing/registry.js';
import { testContainerConfig, testSandboxConfig } from './testing/configs.js';
import { waitFor } from '../testing/wait-for.js';
import { CriError } from './types.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from '../agent/images/names.js';
import { importImageDir } from '../agent/images/import.js';
import { ensureBuiltImages } from './testing/images.js';
import { scaled } from '../testing/time-scale.js';

let node: TestNode;

before(async () => {
  node = await startTestNode();
});

after(async () => {
  await node?.stop();
});

/** Runs a CRI exec URL over websocket; collects stdout (1), stderr (2) and the status (3) channels. */
function execOverWebSocket(url: string, agent: http.Agent): Promise<{ stdout: string; stderr: string; status: string }> {
  return new Promise((resolve, reject) => {
    const out = { stdout: '', stderr: '', status: '' };
    const ws = new WebSocket(url.replace(/^http/, 'ws'), ['v4.channel.k8s.io'], { agent });
    ws.on('message', (data: Buffer) => {
      const text = data.subarray(1).toString();
      if (data[0] === 1) out.stdout += text;
      else if (data[0] === 2) out.stderr += text;
      else if (data[0] === 3) out.status += text;
    });
    ws.on('close', () => resolve(out));
    ws.on('error', reject);
  });
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/') as [string, string];
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = bits === '0' ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(net) & mask);
}

test('Version names containerd and CRI v1', async () => {
  const v = await node.cri.version();
  assert.equal(v.runtime_name, 'containerd');
  assert.equal(v.runtime_api_version, 'v1');
  const status = await node.cri.status();
  const ready = Object.fromEntries(status.conditions.map((c) => [c.type, c.status]));
  assert.equal(ready.RuntimeReady, true);
  assert.equal(ready.NetworkReady, true);
});

test('imported images have exactly their intended names', async () => {
  const images = await node.cri.listImages();
  const tags = images.flatMap((i) => i.repo_tags).sort();
  assert.deepEqual(tags, [BUSYBOX_IMAGE, PAUSE_IMAGE].sort());
  const pause = await node.cri.imageStatus({ image: PAUSE_IMAGE });
  assert.equal(pause?.uid?.value, '65535');
  assert.match(pause!.size, /^[1-9]\d*$/);
});

test('ImageStatus of a missing image is null', async () => {
  assert.equal(await node.cri.imageStatus({ image: 'kubets.local/nope:0' }), null);
});

test('a pod: sandbox IP, busybox httpd serving, status, exec, stop and remove', async () => {
  const sc = testSandboxConfig(node, 'web');
  const sandboxId = await node.cri.runPodSandbox(sc);
  const ps = await node.cri.podSandboxStatus(sandboxId);
  assert.equal(ps?.state, 'SANDBOX_READY');
  const ip = ps!.network!.ip;
  assert.ok(inCidr(ip, node.podCIDR), `${ip} in ${node.podCIDR}`);
  assert.equal(ps!.metadata.name, 'web');

  const cc = testContainerConfig('httpd', ['sh', '-c', 'mkdir -p /www && echo hello-kubets > /www/index.html && exec httpd -f -p 8080 -h /www']);
  const containerId = await node.cri.createContainer(sandboxId, cc, sc);
  await node.cri.startContainer(containerId);
  const cs = await node.cri.containerStatus(containerId);
  assert.equal(cs?.state, 'CONTAINER_RUNNING');
  assert.equal(cs!.metadata.name, 'httpd');
  assert.equal(cs!.image.image, BUSYBOX_IMAGE);
  assert.match(cs!.image_ref, /^sha256:/);
  assert.notEqual(cs!.started_at, '0');
  assert.ok(cs!.log_path.startsWith(sc.log_directory));

  // The pod answers on its IP, seen from inside the node's namespace.
  const body = await waitFor(
    async () => {
      const r = await node.httpGet(`http://${ip}:8080/`);
      return r.status === 200 ? r.body : undefined;
    },
    { timeoutMs: 15_000, what: 'httpd on the pod IP' },
  );
  assert.equal(body.trim(), 'hello-kubets');

  const ok = await node.cri.execSync(containerId, ['sh', '-c', 'echo out; echo err >&2'], 10);
  assert.equal(ok.exit_code, 0);
  assert.equal(ok.stdout.toString(), 'out\n');
  assert.equal(ok.stderr.toString(), 'err\n');
  const fail = await node.cri.execSync(containerId, ['sh', '-c', 'exit 7'], 10);
  assert.equal(fail.exit_code, 7);

  const url = await node.cri.exec({ container_id: containerId, cmd: ['sh', '-c', 'echo streamed; echo warned >&2; exit 4'], stdout: true, stderr: true });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/exec\/\S+$/);
  // The URL serves the exec session (websocket, v4.channel.k8s.io) inside the node's namespace.
  const frames = await execOverWebSocket(url, node.dialer.agent());
  assert.equal(frames.stdout, 'streamed\n');
  assert.equal(frames.stderr, 'warned\n');
  assert.match(frames.status, /"reason":"NonZeroExitCode".*"message":"4"/);
  const pfUrl = await node.cri.portForward(sandboxId, [8080]);
  assert.match(pfUrl, /^http:\/\/127\.0\.0\.1:\d+\/portforward\/\S+$/);

  await node.cri.stopContainer(containerId, 0);
  const stopped = await node.cri.containerStatus(containerId);
  assert.equal(stopped?.state, 'CONTAINER_EXITED');
  assert.equal(stopped!.exit_code, 137);
  await node.cri.removeContainer(containerId);
  assert.equal(await node.cri.containerStatus(containerId), null);

  await node.cri.stopPodSandbox(sandboxId);
  assert.equal((await node.cri.podSandboxStatus(sandboxId))?.state, 'SANDBOX_NOTREADY');
  await node.cri.removePodSandbox(sandboxId);
  assert.equal(await node.cri.podSandboxStatus(sandboxId), null);
  // Both are idempotent.
  await node.cri.stopPodSandbox(sandboxId);
  await node.cri.removePodSandbox(sandboxId);
});

test('list calls filter by label, state and sandbox', async () => {
  const a = testSandboxConfig(node, 'list-a', { labels: { app: 'a', tier: 'x' } });
  const b = testSandboxConfig(node, 'list-b', { labels: { app: 'b', tier: 'x' } });
  const [ida, idb] = await Promise.all([node.cri.runPodSandbox(a), node.cri.runPodSandbox(b)]);
  const ca = await node.cri.createContainer(ida, testContainerConfig('sleeper', ['sleep', '3600'], { labels: { role: 'main', app: 'a' } }), a);
  const cb = await node.cri.createContainer(idb, testContainerConfig('sleeper', ['sleep', '3600'], { labels: { role: 'main', app: 'b' } }), b);
  await node.cri.startContainer(ca);

  const onlyA = await node.cri.listPodSandbox({ label_selector: { app: 'a' } });
  assert.deepEqual(onlyA.map((p) => p.id), [ida]);
  assert.equal(onlyA[0]!.labels.tier, 'x');
  const tierX = await node.cri.listPodSandbox({ label_selector: { tier: 'x' } });
  assert.deepEqual(tierX.map((p) => p.id).sort(), [ida, idb].sort());
  const ready = await node.cri.listPodSandbox({ state: { state: 'SANDBOX_READY' }, label_selector: { tier: 'x' } });
  assert.equal(ready.length, 2);

  const mains = await node.cri.listContainers({ label_selector: { role: 'main' } });
  assert.deepEqual(mains.map((c) => c.id).sort(), [ca, cb].sort());
  const running = await node.cri.listContainers({ state: { state: 'CONTAINER_RUNNING' }, label_selector: { role: 'main' } });
  assert.deepEqual(running.map((c) => c.id), [ca]);
  const inB = await node.cri.listContainers({ pod_sandbox_id: idb });
  assert.deepEqual(inB.map((c) => c.id), [cb]);
  assert.equal(inB[0]!.state, 'CONTAINER_CREATED');
  assert.equal(inB[0]!.pod_sandbox_id, idb);

  for (const id of [ida, idb]) {
    await node.cri.stopPodSandbox(id);
    await node.cri.removePodSandbox(id);
  }
  assert.deepEqual(await node.cri.listContainers({ label_selector: { role: 'main' } }), []);
});

test('errors carry the gRPC code name', async () => {
  await assert.rejects(node.cri.startContainer('does-not-exist'), (err: unknown) => {
    assert.ok(err instanceof CriError);
    assert.equal(err.method, 'StartContainer');
    assert.equal(err.code, 'NotFound');
    return true;
  });
  assert.equal(await node.cri.podSandboxStatus('does-not-exist'), null);
});

test('PullImage from a plain-HTTP registry without auth', async () => {
  const registry = await startTestRegistry({ netnsPath: node.netnsPath });
  try {
    node.addInsecureRegistry(registry.host);
    const ref = await node.cri.pullImage({ image: registry.busyboxRef });
    assert.match(ref, /^sha256:/);
    const img = await node.cri.imageStatus({ image: registry.busyboxRef });
    assert.equal(img?.id, ref);
    assert.ok(img!.repo_tags.includes(registry.busyboxRef));
    // RemoveImage drops every name of the image ID, and the pushed image is
    // our busybox: the local name goes too, until it is imported again.
    await node.cri.removeImage({ image: registry.busyboxRef });
    assert.equal(await node.cri.imageStatus({ image: registry.busyboxRef }), null);
    assert.equal(await node.cri.imageStatus({ image: BUSYBOX_IMAGE }), null);
  } finally {
    await registry.stop();
    await importImageDir(await ensureBuiltImages(), { socket: node.socket });
  }
  assert.ok(await node.cri.imageStatus({ image: BUSYBOX_IMAGE }));
});

test('PullImage with basic auth: refused without credentials, pulled with AuthConfig', async () => {
  const auth = { username: 'kubets', password: 's3cret-pass' };
  const registry = await startTestRegistry({ netnsPath: node.netnsPath, auth });
  try {
    node.addInsecureRegistry(registry.host);
    await assert.rejects(node.cri.pullImage({ image: registry.busyboxRef }), (err: unknown) => {
      assert.ok(err instanceof CriError, String(err));
      assert.match(err.details, /unauthorized|401|authorization/i);
      return true;
    });
    await assert.rejects(node.cri.pullImage({ image: registry.busyboxRef }, { username: 'kubets', password: 'wrong' }), CriError);
    // server_address as the kubelet sends it (host:port, no scheme).
    const ref = await node.cri.pullImage({ image: registry.busyboxRef }, { username: auth.username, password: auth.password, server_address: registry.host });
    assert.match(ref, /^sha256:/);
    assert.ok((await node.cri.imageStatus({ image: registry.busyboxRef }))?.repo_tags.includes(registry.busyboxRef));
  } finally {
    await registry.stop();
  }
});

test('ExecSync past its timeout is DeadlineExceeded; stats and image fs are reported', async () => {
  const sc = testSandboxConfig(node, 'timing');
  const sandboxId = await node.cri.runPodSandbox(sc);
  const id = await node.cri.createContainer(sandboxId, testContainerConfig('sleeper', ['sleep', '3600']), sc);
  await node.cri.startContainer(id);
  const t0 = Date.now();
  await assert.rejects(node.cri.execSync(id, ['sleep', '30'], 1), (err: unknown) => err instanceof CriError && err.code === 'DeadlineExceeded');
  assert.ok(Date.now() - t0 < Math.min(scaled(10_000), 29_000), 'the runtime enforces the exec timeout (the command sleeps 30 s)');
  await assert.rejects(node.cri.execSync(id, ['no-such-command'], 5), /executable file not found/);

  const [stats] = await node.cri.listContainerStats({ id });
  assert.equal(stats?.attributes.id, id);
  assert.match(stats!.cpu!.usage_core_nano_seconds!.value, /^\d+$/);
  assert.ok(Number(stats!.memory!.working_set_bytes!.value) > 0);
  const [fs] = await node.cri.imageFsInfo();
  assert.ok(fs!.fs_id!.mountpoint.startsWith(node.dir), 'image fs lives in the node dir');
  await node.cri.stopPodSandbox(sandboxId);
  await node.cri.removePodSandbox(sandboxId);
});
