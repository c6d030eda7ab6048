// Component test on a real containerd (kt-cri harness, private netns): CRI
// configs built by PodRuntimeConfigBuilder from a pod spec, with volumes from
// NodeVolumeManager and a pod cgroup from PodCgroupManager.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Container, Pod } from '../api/core-v1.js';
import { BUSYBOX_IMAGE } from '../agent/images/names.js';
import { startTestNode, type TestNode } from '../cri/testing/containerd-harness.js';
import { waitFor } from '../testing/wait-for.js';
import { detectCgroupLayout, PodCgroupManager } from './cgroups.js';
import { FakeObjectSource } from './fake-object-source.js';
import { PodRuntimeConfigBuilder } from './runtime-config.js';
import { NodeVolumeManager } from './volumes/index.js';

let node: TestNode;
let objects: FakeObjectSource;
let volumes: NodeVolumeManager;
let builder: PodRuntimeConfigBuilder;
let cgroups: PodCgroupManager;
const started: string[] = [];

before(async () => {
  node = await startTestNode();
  objects = new FakeObjectSource();
  const podsDir = path.join(node.dir, 'pods');
  const resolv = path.join(node.dir, 'host-resolv.conf');
  await fs.writeFile(resolv, 'nameserver 192.0.2.53\nsearch example.test\n');
  cgroups = new PodCgroupManager(await detectCgroupLayout(), node.cgroupParent);
  volumes = new NodeVolumeManager({ podsDir, objects, nodeName: 'n1', nodeAllocatable: () => ({ cpu: '2', memory: '4Gi' }) });
  builder = new PodRuntimeConfigBuilder({ podsDir, logRoot: node.logDir, objects, nodeAllocatable: () => ({ cpu: '2', memory: '4Gi' }), cgroups, resolvConfPath: resolv });
  objects.services.set('default', [{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443 }] } }]);
});

after(async () => {
  // Pods first (so nothing holds the volume mounts), then volumes, then the node.
  for (const id of started) {
    await node.cri.stopPodSandbox(id).catch(() => {});
    await node.cri.removePodSandbox(id).catch(() => {});
  }
  for (const uid of (await volumes?.listPodDirs()) ?? []) {
    await volumes.tearDown(uid);
    await builder.releasePod(uid);
  }
  await node?.stop();
});

async function runPod(pod: Pod) {
  const vols = await volumes.setUp(pod);
  const sandboxConfig = await builder.sandboxConfig(pod, { attempt: 0 });
  const sandboxId = await node.cri.runPodSandbox(sandboxConfig);
  started.push(sandboxId);
  const ip = (await node.cri.podSandboxStatus(sandboxId))!.network!.ip;
  const start = async (c: Container) => {
    const cfg = await builder.containerConfig(pod, c, { podIP: ip, podIPs: [ip], hostIP: '192.0.2.1', volumes: vols, restartCount: 0, type: 'regular' });
    const id = await node.cri.createContainer(sandboxId, cfg, sandboxConfig);
    await node.cri.startContainer(id);
    return id;
  };
  return { sandboxConfig, sandboxId, ip, start };
}

async function sh(containerId: string, script: string): Promise<{ out: string; code: number }> {
  const r = await node.cri.execSync(containerId, ['sh', '-c', script], 10);
  return { out: r.stdout.toString() + r.stderr.toString(), code: r.exit_code };
}

test('a container sees its configMap file (updated in place), env, /etc/hosts, resolv.conf and a read-only root', async () => {
  objects.setConfigMap('shop', 'cfg', { greeting: 'hello', mode: 'prod' });
  const c: Container = {
    name: 'app',
    image: BUSYBOX_IMAGE,
    command: ['sh', '-c', 'exec sleep 3600'],
    env: [
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'GREETING_FILE', value: '/cfg/greeting' },
    ],
    volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }, { name: 'scratch', mountPath: '/scratch' }],
    securityContext: { readOnlyRootFilesystem: true },
    resources: { requests: { cpu: '100m', memory: '32Mi' } },
  };
  const pod: Pod = {
    metadata: { name: 'web-0', namespace: 'shop', uid: `uid-${Date.now()}-a` },
    spec: { hostname: 'web-0', subdomain: 'web', containers: [c], volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'scratch', emptyDir: {} }] },
  };
  const { ip, start, sandboxConfig } = await runPod(pod);
  assert.equal(sandboxConfig.linux?.cgroup_parent, `${node.cgroupParent}/burstable/pod${pod.metadata.uid}`);
  const id = await start(c);

  assert.deepEqual(await sh(id, 'cat /cfg/greeting'), { out: 'hello', code: 0 });
  const env = (await sh(id, 'env')).out;
  assert.match(env, /^MODE=prod$/m);
  assert.match(env, /^POD_NAME=web-0$/m);
  assert.match(env, /^KUBERNETES_SERVICE_HOST=10\.43\.0\.1$/m);
  const hosts = (await sh(id, 'cat /etc/hosts')).out;
  assert.match(hosts, /Kubernetes-managed hosts file/);
  assert.ok(hosts.includes(`${ip}\tweb-0.web.shop.svc.cluster.local\tweb-0`), hosts);
  const resolv = (await sh(id, 'cat /etc/resolv.conf')).out;
  assert.match(resolv, /nameserver 10\.43\.0\.10/);
  assert.match(resolv, /search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local example\.test/);
  assert.match(resolv, /options ndots:5/);
  assert.equal((await sh(id, 'hostname')).out.trim(), 'web-0');

  // Read-only root and configMap volume; writable emptyDir and termination log.
  assert.notEqual((await sh(id, 'touch /cfg/new')).code, 0);
  const ro = await sh(id, 'touch /rootfile');
  assert.notEqual(ro.code, 0);
  assert.match(ro.out, /Read-only file system/);
  assert.equal((await sh(id, 'echo x > /scratch/f && cat /scratch/f')).out, 'x\n');
  assert.equal((await sh(id, 'echo bye > /dev/termination-log')).code, 0);
  assert.equal(await fs.readFile(builder.terminationLogPath(pod.metadata.uid!, 'app', 0), 'utf8'), 'bye\n');

  // The configMap changes; the next sync rewrites the volume and the running container sees it.
  objects.setConfigMap('shop', 'cfg', { greeting: 'bonjour', mode: 'prod' });
  await volumes.setUp(pod);
  assert.deepEqual(await sh(id, 'cat /cfg/greeting'), { out: 'bonjour', code: 0 });
});

test('a memory limit OOM-kills the container (reason OOMKilled)', async () => {
  const c: Container = {
    name: 'hog',
    image: BUSYBOX_IMAGE,
    command: ['sh', '-c', 'a=$(head -c 134217728 /dev/zero | tr "\\0" x); echo survived'],
    resources: { limits: { memory: '24Mi', cpu: '500m' } },
  };
  const pod: Pod = { metadata: { name: 'hog', namespace: 'shop', uid: `uid-${Date.now()}-b` }, spec: { containers: [c] } };
  const { start } = await runPod(pod);
  const id = await start(c);
  const status = await waitFor(async () => {
    const s = await node.cri.containerStatus(id);
    return s?.state === 'CONTAINER_EXITED' ? s : undefined;
  }, { timeoutMs: 60_000, what: 'hog exits' });
  assert.equal(status.reason, 'OOMKilled');
  assert.equal(status.exit_code, 137);
  // The pod cgroup carries the pod's limit too.
  const limit = await fs.readFile(path.join('/sys/fs/cgroup/memory', node.cgroupParent, `pod${pod.metadata.uid}`, 'memory.limit_in_bytes'), 'utf8').catch(() => '');
  if (limit) assert.equal(limit.trim(), String(24 * 1024 * 1024));
});
