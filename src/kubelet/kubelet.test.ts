// The kubelet against a real in-process API server, with the fake runtime:
// list-watch of its node's pods, status writes, graceful deletion, orphans
// and static pods with their mirror pods.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Pod } from '../api/core-v1.js';
import { FakeRuntime } from '../cri/fake-runtime.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { Kubelet, onlyStatusChanged } from './kubelet.js';
import { CRI_LABELS } from './seams.js';
import { MIRROR_ANNOTATION } from './static-pods.js';
import { RecordingVolumes, SimpleConfig } from './testing/doubles.js';
import { isNotFound } from '../client/errors.js';

let cp: TestControlPlane;
let runtime: FakeRuntime;
let kubelet: Kubelet;
let staticDir: string;
let volumes: RecordingVolumes;
const NODE = 'node-a';

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  await cp.client.nodes.create(undefined, { metadata: { name: NODE } } as never);
  runtime = new FakeRuntime({ images: ['busybox:1.35'] });
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-static-'));
  // A pod the runtime still holds from before an agent restart, deleted from the API meanwhile.
  const sb = await runtime.runPodSandbox({ metadata: { name: 'gone', namespace: 'default', uid: 'gone-uid', attempt: 0 }, hostname: 'gone', log_directory: '', port_mappings: [], labels: { [CRI_LABELS.podUid]: 'gone-uid', [CRI_LABELS.managedBy]: 'true' }, annotations: {} });
  assert.ok(sb);
  volumes = new RecordingVolumes();
  volumes.leftDirs = ['left-behind-uid'];
  kubelet = new Kubelet({ client: cp.client, nodeName: NODE, runtime, images: runtime, volumes, config: new SimpleConfig(), hostIPs: ['192.0.2.10'], staticPodDir: staticDir, relistIntervalMs: 100 });
  await kubelet.start();
});

after(async () => {
  await kubelet.stop();
  await cp.stop();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

const getPod = (name: string) => cp.client.resource<Pod>(cp.client.pods.descriptor).get('default', name);

test('a pod bound to the node runs and its status reaches the API', async () => {
  await cp.client.pods.create('default', { metadata: { name: 'web' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: 'busybox:1.35' }] } } as never);
  const pod = await waitFor(async () => {
    const p = await getPod('web');
    return p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? p : undefined;
  }, { what: 'pod Running and Ready' });
  assert.equal(pod.status!.podIP?.startsWith('10.42.0.'), true);
  assert.equal(pod.status!.containerStatuses![0]!.ready, true);
  assert.match(pod.status!.containerStatuses![0]!.containerID!, /^containerd:\/\//);
  const events = await waitFor(async () => {
    const list = (await cp.client.events.list('default')).items as unknown as { reason: string; involvedObject: { uid: string }; source: { component: string; host: string } }[];
    const mine = list.filter((e) => e.involvedObject.uid === pod.metadata.uid);
    return mine.some((e) => e.reason === 'Started') ? mine : undefined;
  }, { what: 'Created and Started events' });
  assert.ok(events.some((e) => e.reason === 'Created'));
  assert.deepEqual(events[0]!.source, { component: 'kubelet', host: NODE });
  // Pods of other nodes are not ours.
  await cp.client.pods.create('default', { metadata: { name: 'elsewhere' }, spec: { nodeName: 'node-b', containers: [{ name: 'c', image: 'busybox:1.35' }] } } as never);
  // A later pod of this node runs: events arrive in order, so "elsewhere" would have been seen by now.
  await cp.client.pods.create('default', { metadata: { name: 'marker' }, spec: { nodeName: NODE, containers: [{ name: 'm', image: 'busybox:1.35' }] } } as never);
  await waitFor(() => runtime.runningContainer('m'), { what: 'marker pod running' });
  assert.equal(runtime.callsOf('runPodSandbox').filter((c) => (c.args[0] as { metadata: { name: string } }).metadata.name === 'elsewhere').length, 0);
});

test("the echo of the agent's own status write is recognised; a status someone else changes is synced and rewritten", async () => {
  await cp.client.pods.create('default', { metadata: { name: 'steady' }, spec: { nodeName: NODE, containers: [{ name: 's', image: 'busybox:1.35' }] } } as never);
  const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const running = await waitFor(async () => {
    const p = await getPod('steady');
    return ready(p) === 'True' ? p : undefined;
  }, { what: 'steady Ready' });
  assert.ok(kubelet.statusManager.isOwnWrite(running.metadata.uid!, running.status), 'the stored status is exactly what the agent wrote');
  // As the node lifecycle controller does for an unreachable node: Ready=False behind the agent's back.
  const conditions = running.status!.conditions!.map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'NodeNotReady' } : c));
  await cp.client.pods.patch('default', 'steady', { status: { conditions } }, 'merge', { subresource: 'status' });
  await waitFor(async () => ready(await getPod('steady')) === 'True', { what: 'the agent to write Ready=True back' });
  await cp.client.pods.delete('default', 'steady', { gracePeriodSeconds: 0 });
});

test('a container that exits is restarted and its restart count reaches the API', async () => {
  const pod = await getPod('web');
  const id = runtime.runningContainer('c', pod.metadata.uid)!;
  runtime.exitContainer(id, 1);
  const p = await waitFor(async () => {
    const p = await getPod('web');
    return p.status?.containerStatuses?.[0]?.restartCount === 1 ? p : undefined;
  }, { what: 'restart count 1' });
  assert.equal(p.status!.containerStatuses![0]!.lastState!.terminated!.exitCode, 1);
});

test('a graceful delete stops the pod and then removes its object', async () => {
  const pod = await getPod('web');
  await cp.client.pods.delete('default', 'web', { gracePeriodSeconds: 5 });
  await waitFor(async () => {
    try {
      await getPod('web');
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  }, { what: 'pod object removed' });
  assert.equal(runtime.sandboxList().filter((s) => s.uid === pod.metadata.uid).length, 0);
});

test('a pod the runtime holds but the API does not know is removed, and so are pod directories nobody owns', async () => {
  await waitFor(() => runtime.sandboxList().every((s) => s.uid !== 'gone-uid'), { what: 'orphan removed' });
  await waitFor(() => volumes.tearDowns.includes('gone-uid') && volumes.tearDowns.includes('left-behind-uid'), { what: 'volumes torn down' });
});

test('pods whose syncs are stuck in a postStart hook do not hold up another pod', async () => {
  // Eight hooks that only return when released: more than a small worker pool.
  const held: (() => void)[] = [];
  runtime.execHandler = (_id, cmd) => {
    if (cmd[0] !== 'hold') return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 };
    return new Promise((resolve) => held.push(() => resolve({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 })));
  };
  try {
    const hooked = Array.from({ length: 8 }, (_, i) => `hooked-${i}`);
    for (const name of hooked) {
      await cp.client.pods.create('default', { metadata: { name }, spec: { nodeName: NODE, containers: [{ name, image: 'busybox:1.35', lifecycle: { postStart: { exec: { command: ['hold'] } } } }] } } as never);
    }
    await waitFor(() => held.length === hooked.length, { what: 'every postStart hook running' });
    await cp.client.pods.create('default', { metadata: { name: 'free' }, spec: { nodeName: NODE, containers: [{ name: 'free', image: 'busybox:1.35' }] } } as never);
    await waitFor(async () => (await getPod('free')).status?.phase === 'Running', { what: 'the free pod Running while the hooks hold' });
    assert.equal(held.length, hooked.length);
    for (const release of held.splice(0)) release();
    for (const name of hooked) await waitFor(async () => (await getPod(name)).status?.phase === 'Running', { what: `${name} Running once released` });
    for (const name of [...hooked, 'free']) await cp.client.pods.delete('default', name, { gracePeriodSeconds: 0 });
  } finally {
    for (const release of held.splice(0)) release();
    runtime.execHandler = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 });
  }
});

test('static pods run from manifests, with a mirror pod that comes back when deleted and goes with the manifest', async () => {
  fs.writeFileSync(path.join(staticDir, 'etcd.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: busybox:1.35\n');
  const mirrorName = `etcd-${NODE}`;
  const get = () => cp.client.resource<Pod>(cp.client.pods.descriptor).get('kube-system', mirrorName);
  const mirror = await waitFor(async () => {
    const p = await get();
    return p.status?.phase === 'Running' ? p : undefined;
  }, { what: 'mirror pod Running' });
  assert.equal(mirror.metadata.annotations?.['kubernetes.io/config.source'], 'file');
  assert.ok(mirror.metadata.annotations?.[MIRROR_ANNOTATION]);
  assert.equal(mirror.metadata.ownerReferences?.[0]?.kind, 'Node');
  const staticUid = mirror.metadata.annotations![MIRROR_ANNOTATION]!;
  assert.ok(runtime.runningContainer('etcd', staticUid));
  // Deleting the mirror does not stop the static pod; the mirror comes back.
  await cp.client.pods.delete('kube-system', mirrorName, { gracePeriodSeconds: 0 });
  const again = await waitFor(async () => {
    const p = await get();
    return p.metadata.uid !== mirror.metadata.uid ? p : undefined;
  }, { what: 'mirror recreated' });
  assert.equal(again.metadata.annotations![MIRROR_ANNOTATION], staticUid);
  assert.equal(runtime.containersNamed('etcd', staticUid).length, 1, 'not restarted');
  // Removing the manifest ends the pod and its mirror.
  fs.rmSync(path.join(staticDir, 'etcd.yaml'));
  await waitFor(async () => {
    try {
      await get();
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  }, { what: 'mirror removed' });
  await waitFor(() => runtime.containersNamed('etcd', staticUid).length === 0, { what: 'static pod containers removed' });
});

test('only a change beyond status and bookkeeping metadata makes a pod sync again', () => {
  const base = { metadata: { name: 'p', namespace: 'default', uid: 'u', resourceVersion: '1', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending' } } as Pod;
  assert.equal(onlyStatusChanged(base, { ...base, metadata: { ...base.metadata, resourceVersion: '2' }, status: { phase: 'Running' } }), true);
  assert.equal(onlyStatusChanged(base, { ...base, metadata: { ...base.metadata, labels: { a: '2' } } }), false);
  assert.equal(onlyStatusChanged(base, { ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), false);
  assert.equal(onlyStatusChanged(base, { ...base, spec: { ...base.spec, activeDeadlineSeconds: 5 } }), false);
});
