// The kubelet on a real containerd (kt-cri's test node, inside its own
// network namespace) with the real volume manager and CRI config builder,
// against an in-process API server. Probes and hooks dial pods from inside the
// node's namespace. Needs root and the runtime packages (scripts/setup.sh).
// Liveness restarts and hostNetwork pods run end to end in src/kubelet/e2e/node.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Container, Pod } from '../api/core-v1.js';
import { BUSYBOX_IMAGE } from '../agent/images/names.js';
import { isNotFound } from '../client/errors.js';
import { RESOURCES } from '../client/resources.js';
import { startTestNode, type TestNode } from '../cri/testing/containerd-harness.js';
import { startTestRegistry } from '../cri/testing/registry.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { scaled, scaledSeconds } from '../testing/time-scale.js';
import { waitFor } from '../testing/wait-for.js';
import { createLogger } from '../util/log.js';
import { detectCgroupLayout, PodCgroupManager } from './cgroups.js';
import { Kubelet } from './kubelet.js';
import { clientObjectSource } from './object-source.js';
import { PodRuntimeConfigBuilder } from './runtime-config.js';
import { NodeVolumeManager } from './volumes/manager.js';
import { netnsProbeNet } from './testing/netns-probe-net.js';

const NODE = 'kt-node';
// The first crash back-off. A kubelet that takes longer than this to notice an exit
// finds the back-off already over and restarts at once, never reporting CrashLoopBackOff.
const CRASH_BACKOFF_MS = scaled(1000);
let cp: TestControlPlane;
let node: TestNode;
let kubelet: Kubelet;

async function newKubelet(): Promise<Kubelet> {
  const objects = clientObjectSource(cp.client);
  const podsDir = path.join(node.dir, 'pods');
  const allocatable = () => ({ cpu: '2', memory: '4Gi', pods: '110' });
  const k = new Kubelet({
    client: cp.client,
    nodeName: NODE,
    runtime: node.cri,
    images: node.cri,
    volumes: new NodeVolumeManager({ podsDir, objects, nodeName: NODE, nodeAllocatable: allocatable }),
    config: new PodRuntimeConfigBuilder({ podsDir, logRoot: node.logDir, objects, nodeAllocatable: allocatable, cgroups: new PodCgroupManager(await detectCgroupLayout(), node.cgroupParent) }),
    hostIPs: ['192.0.2.10'],
    net: netnsProbeNet(node.netnsPath),
    crashBackoff: { initialMs: CRASH_BACKOFF_MS, maxMs: 8 * CRASH_BACKOFF_MS },
    resyncIntervalMs: 2000,
    relistIntervalMs: 300,
    log: process.env.KT_TEST_LOG ? createLogger('debug') : undefined,
  });
  await k.start();
  return k;
}

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  await cp.client.nodes.create(undefined, { metadata: { name: NODE } } as never);
  node = await startTestNode();
  kubelet = await newKubelet();
});

after(async () => {
  await kubelet?.stop();
  await node?.stop();
  await cp?.stop();
});

const pods = () => cp.client.resource<Pod>(RESOURCES.pods);
const getPod = (name: string) => pods().get('default', name);

async function createPod(name: string, containers: Container[], spec: Partial<Pod['spec']> = {}, volumes: Pod['spec']['volumes'] = []): Promise<Pod> {
  return pods().create('default', { metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, automountServiceAccountToken: false, terminationGracePeriodSeconds: 10, containers, volumes, ...spec } } as Pod);
}

/** Deletes with grace 0 and waits until the agent removed the pod from the runtime. */
async function forceDelete(name: string): Promise<void> {
  const uid = (await getPod(name)).metadata.uid!;
  await pods().delete('default', name, { gracePeriodSeconds: 0 });
  await waitFor(async () => (await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uid } })).length === 0, { timeoutMs: 30_000, what: `${name} removed from the runtime` });
}

const sh = (name: string, script: string, extra: Partial<Container> = {}): Container => ({ name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra });

test('a pod runs and becomes Ready through an httpGet readiness probe to its IP', async () => {
  await createPod('web', [
    sh('httpd', 'mkdir -p /www && echo hello > /www/index.html && sleep 1 && exec httpd -f -p 8080 -h /www', {
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
    }),
  ]);
  const running = await waitFor(async () => {
    const p = await getPod('web');
    return p.status?.phase === 'Running' ? p : undefined;
  }, { timeoutMs: 30_000, what: 'web Running' });
  assert.ok(running.status!.podIP);
  const ready = await waitFor(async () => {
    const p = await getPod('web');
    return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? p : undefined;
  }, { timeoutMs: 30_000, what: 'web Ready' });
  const cs = ready.status!.containerStatuses![0]!;
  assert.equal(cs.ready, true);
  assert.match(cs.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.ok(cs.imageID);
  const res = await node.httpGet(`http://${ready.status!.podIP}:8080/index.html`);
  assert.equal(res.body.trim(), 'hello');
});

test('a crashing container restarts with a growing back-off and reports CrashLoopBackOff', async () => {
  await createPod('crash', [sh('c', 'echo dying; exit 3', { terminationMessagePolicy: 'FallbackToLogsOnError' })]);
  const seen = new Set<string>();
  const p = await waitFor(async () => {
    const p = await getPod('crash');
    const cs = p.status?.containerStatuses?.[0];
    if (cs?.state?.waiting?.reason) seen.add(cs.state.waiting.reason);
    return cs && cs.restartCount >= 2 ? p : undefined;
  }, { timeoutMs: 60_000, what: 'two restarts', intervalMs: 100 });
  assert.ok(seen.has('CrashLoopBackOff'), [...seen].join(','));
  const cs = p.status!.containerStatuses![0]!;
  const last = cs.lastState?.terminated ?? cs.state?.terminated;
  assert.equal(last?.exitCode, 3);
  assert.equal(last?.message?.trim(), 'dying');
  // Back-off grows: the gaps between one exit and the next start double (1 s, then 2 s, unscaled).
  const uid = p.metadata.uid!;
  const list = (await node.cri.listContainers({ label_selector: { 'io.kubernetes.pod.uid': uid } })).sort((a, b) => a.metadata.attempt - b.metadata.attempt);
  assert.ok(list.length >= 2);
  const statuses = await Promise.all(list.map((c) => node.cri.containerStatus(c.id)));
  const gaps: number[] = [];
  for (let i = 1; i < statuses.length; i++) gaps.push(Number(BigInt(statuses[i]!.started_at) - BigInt(statuses[i - 1]!.finished_at)) / 1e6);
  const last2 = gaps.slice(-2);
  if (last2.length === 2) assert.ok(last2[1]! > last2[0]! * 1.5, `gaps ${gaps.join(', ')}`);
  assert.ok(gaps.at(-1)! >= CRASH_BACKOFF_MS, `gaps ${gaps.join(', ')}`);
  await forceDelete('crash');
});

test('graceful deletion runs preStop, then SIGTERM, and then removes the pod object', async () => {
  const grace = scaledSeconds(20);
  const dataDir = fs.mkdtempSync(path.join(node.dir, 'data-'));
  await createPod(
    'graceful',
    [
      sh('c', 'trap "echo term >> /data/log; exit 0" TERM; echo started >> /data/log; while true; do sleep 0.2; done', {
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /data/log'] } } },
      }),
    ],
    { terminationGracePeriodSeconds: grace },
    [{ name: 'data', hostPath: { path: dataDir, type: 'Directory' } }],
  );
  const p = await waitFor(async () => {
    const p = await getPod('graceful');
    return p.status?.phase === 'Running' && fs.existsSync(path.join(dataDir, 'log')) ? p : undefined;
  }, { timeoutMs: 30_000, what: 'graceful Running' });
  const started = Date.now();
  await pods().delete('default', 'graceful');
  await waitFor(async () => {
    try {
      await getPod('graceful');
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  }, { timeoutMs: 30_000, what: 'pod object removed' });
  const took = Date.now() - started;
  assert.ok(took < grace * 750, `the container stopped on SIGTERM, not after the whole ${grace} s grace period (took ${took} ms)`);
  assert.equal(fs.readFileSync(path.join(dataDir, 'log'), 'utf8'), 'started\nprestop\nterm\n');
  const left = await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': p.metadata.uid! } });
  assert.equal(left.length, 0);
});

test('imagePullSecrets authenticate pulls; without them the pull fails with ErrImagePull, then ImagePullBackOff', async () => {
  const registry = await startTestRegistry({ netnsPath: node.netnsPath, auth: { username: 'kt', password: 'pw-123' } });
  try {
    node.addInsecureRegistry(registry.host);
    const dockerconfig = { auths: { [registry.host]: { username: 'kt', password: 'pw-123' } } };
    await cp.client.secrets.create('default', { metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerconfig)).toString('base64') } } as never);
    await createPod('private', [{ name: 'c', image: registry.busyboxRef, command: ['sleep', '600'] }], { imagePullSecrets: [{ name: 'regcred' }], terminationGracePeriodSeconds: 0 });
    await waitFor(async () => (await getPod('private')).status?.phase === 'Running', { timeoutMs: 60_000, what: 'private Running' });
    // Only now: containerd could otherwise join this pull to the authenticated one in flight.
    await createPod('nocreds', [{ name: 'c', image: registry.busyboxRef, command: ['sleep', '600'], imagePullPolicy: 'Always' }], { terminationGracePeriodSeconds: 0 });
    const reasons = new Set<string>();
    await waitFor(async () => {
      const r = (await getPod('nocreds')).status?.containerStatuses?.[0]?.state?.waiting?.reason;
      if (r) reasons.add(r);
      return reasons.has('ErrImagePull') && reasons.has('ImagePullBackOff');
    }, { timeoutMs: 60_000, what: 'ErrImagePull then ImagePullBackOff', intervalMs: 100 }).catch(async (err) => {
      throw new Error(`${(err as Error).message}; seen: ${[...reasons].join(',')}; status: ${JSON.stringify((await getPod('nocreds')).status?.containerStatuses)}`);
    });
    await forceDelete('private');
    await forceDelete('nocreds');
  } finally {
    await registry.stop();
  }
});

test('a restarted agent adopts running pods: nothing restarts and statuses stay', async () => {
  const before = await getPod('web');
  const beforeIds = (await node.cri.listContainers({ label_selector: { 'io.kubernetes.pod.uid': before.metadata.uid! } })).map((c) => c.id).sort();
  const sandboxes = (await node.cri.listPodSandbox()).map((s) => s.id).sort();
  // Like kill -9: the agent's loops end, the containers keep running.
  await kubelet.stop();
  kubelet = await newKubelet();
  const synced = await waitFor(() => kubelet.syncCount(before.metadata.uid!) >= 2, { timeoutMs: 20_000, what: 'two syncs by the new agent' });
  assert.ok(synced);
  const after = await getPod('web');
  const afterIds = (await node.cri.listContainers({ label_selector: { 'io.kubernetes.pod.uid': before.metadata.uid! } })).map((c) => c.id).sort();
  assert.deepEqual(afterIds, beforeIds);
  assert.deepEqual((await node.cri.listPodSandbox()).map((s) => s.id).sort(), sandboxes);
  assert.equal(after.status!.containerStatuses![0]!.restartCount, before.status!.containerStatuses![0]!.restartCount);
  assert.equal(after.status!.containerStatuses![0]!.containerID, before.status!.containerStatuses![0]!.containerID);
  assert.equal(after.status!.containerStatuses![0]!.ready, true);
  assert.equal(after.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, before.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime);
});
