import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../api/core-v1.js';
import { CriError } from '../cri/types.js';
import { CRI_ANNOTATIONS, CRI_LABELS } from './seams.js';
import { syncRig, testPod, type SyncRig } from './testing/doubles.js';
import { PodSyncer } from './pod-sync.js';
import { ProbeManager } from './prober/probe-manager.js';
import { ImageManager } from './images/image-manager.js';
import { silentLogger } from '../util/log.js';
import type { StatusManager } from './status/status-manager.js';

const busybox = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.35', ...extra });

/** One sync, keeping the status on the pod as the API would. */
async function sync(rig: SyncRig, pod: Pod) {
  const r = await rig.syncer.sync(pod);
  if (r.status) pod.status = r.status;
  return r;
}

const stateOf = (pod: Pod, name: string) => pod.status!.containerStatuses!.find((s) => s.name === name)!;
const cond = (pod: Pod, type: string) => pod.status!.conditions!.find((c) => c.type === type)!;

test('a pod gets a sandbox and its containers, labelled so the runtime alone describes it; it reports Running and Ready', async () => {
  const rig = syncRig();
  const pod = testPod({ containers: [busybox('a'), busybox('b')] });
  await sync(rig, pod);
  assert.equal(rig.runtime.sandboxList().length, 1);
  const id = rig.runtime.runningContainer('a')!;
  const cfg = rig.runtime.containerConfig(id)!;
  assert.equal(cfg.metadata.name, 'a');
  assert.equal(cfg.metadata.attempt, 0);
  assert.equal(cfg.labels[CRI_LABELS.podUid], pod.metadata.uid);
  assert.equal(cfg.labels[CRI_LABELS.containerName], 'a');
  assert.equal(cfg.annotations[CRI_ANNOTATIONS.restartCount], '0');
  assert.equal(cfg.annotations[CRI_ANNOTATIONS.containerType], 'regular');
  assert.match(cfg.annotations[CRI_ANNOTATIONS.containerHash]!, /^[0-9a-f]{8}$/);
  assert.equal(cfg.envs[0]!.value, '10.42.0.2', 'the container config gets the pod IP');
  assert.equal(pod.status!.phase, 'Running');
  assert.equal(pod.status!.podIP, '10.42.0.2');
  assert.equal(pod.status!.hostIP, '192.0.2.10');
  assert.equal(pod.status!.qosClass, 'BestEffort');
  assert.ok(pod.status!.startTime);
  assert.equal(stateOf(pod, 'a').containerID, `containerd://${id}`);
  assert.ok(stateOf(pod, 'a').state!.running);
  assert.equal(stateOf(pod, 'a').ready, true);
  assert.equal(cond(pod, 'Ready').status, 'True');
  assert.equal(cond(pod, 'PodReadyToStartContainers').status, 'True');
  assert.equal(cond(pod, 'Initialized').status, 'True');
  // A second sync changes nothing and keeps the transition times.
  const before = JSON.stringify(pod.status);
  rig.clock.advance(5000);
  await sync(rig, pod);
  assert.equal(JSON.stringify(pod.status), before);
  assert.equal(rig.runtime.callsOf('createContainer').length, 2);
});

test('init containers run one at a time, each to success, before the regular containers', async () => {
  const rig = syncRig();
  const pod = testPod({ initContainers: [busybox('i1'), busybox('i2')], containers: [busybox('app')] });
  await sync(rig, pod);
  assert.ok(rig.runtime.runningContainer('i1'));
  assert.equal(rig.runtime.containersNamed('i2').length, 0);
  assert.equal(pod.status!.phase, 'Pending');
  assert.equal(stateOf(pod, 'app').state!.waiting!.reason, 'PodInitializing');
  assert.equal(cond(pod, 'Initialized').reason, 'ContainersNotInitialized');
  rig.runtime.exitContainer(rig.runtime.runningContainer('i1')!, 0);
  await sync(rig, pod);
  assert.ok(rig.runtime.runningContainer('i2'));
  assert.equal(rig.runtime.containersNamed('app').length, 0);
  rig.runtime.exitContainer(rig.runtime.runningContainer('i2')!, 0);
  await sync(rig, pod);
  assert.ok(rig.runtime.runningContainer('app'));
  assert.equal(pod.status!.phase, 'Running');
  assert.equal(cond(pod, 'Initialized').status, 'True');
  assert.equal(pod.status!.initContainerStatuses![0]!.state!.terminated!.reason, 'Completed');
  assert.equal(rig.runtime.containerConfig(rig.runtime.containersNamed('i1')[0]!.id)!.annotations[CRI_ANNOTATIONS.containerType], 'init');
});

test('a failing init container is retried under OnFailure and fails the pod under Never', async () => {
  const rig = syncRig();
  const retry = testPod({ restartPolicy: 'OnFailure', initContainers: [busybox('i')], containers: [busybox('app')] });
  await sync(rig, retry);
  rig.runtime.exitContainer(rig.runtime.runningContainer('i', retry.metadata.uid)!, 1);
  await sync(rig, retry);
  assert.equal(rig.runtime.containersNamed('i', retry.metadata.uid).length, 2, 'restarted');
  const never = testPod({ restartPolicy: 'Never', initContainers: [busybox('i')], containers: [busybox('app')] });
  await sync(rig, never);
  rig.runtime.exitContainer(rig.runtime.runningContainer('i', never.metadata.uid)!, 1);
  await sync(rig, never);
  assert.equal(rig.runtime.containersNamed('i', never.metadata.uid).length, 1);
  assert.equal(never.status!.phase, 'Failed');
  assert.equal(rig.runtime.containersNamed('app', never.metadata.uid).length, 0);
});

test('an exited container restarts with CrashLoopBackOff back-off: 10 s, then 20 s', async () => {
  const rig = syncRig();
  const pod = testPod({ containers: [busybox('c')] });
  await sync(rig, pod);
  rig.runtime.exitContainer(rig.runtime.runningContainer('c')!, 2);
  await sync(rig, pod);
  // The first restart is immediate.
  const second = rig.runtime.runningContainer('c')!;
  assert.equal(rig.runtime.containerConfig(second)!.metadata.attempt, 1);
  assert.equal(stateOf(pod, 'c').restartCount, 1);
  assert.equal(stateOf(pod, 'c').lastState!.terminated!.exitCode, 2);
  rig.clock.advance(1000);
  rig.runtime.exitContainer(second, 2);
  let r = await sync(rig, pod);
  assert.equal(rig.runtime.runningContainer('c'), undefined);
  assert.equal(stateOf(pod, 'c').state!.waiting!.reason, 'CrashLoopBackOff');
  assert.match(stateOf(pod, 'c').state!.waiting!.message!, /back-off 10s/);
  assert.equal(stateOf(pod, 'c').lastState!.terminated!.exitCode, 2);
  assert.equal(pod.status!.phase, 'Running');
  assert.equal(r.resyncAfterMs, 1000, 'a second look at the fresh exit comes first');
  rig.clock.advance(3000);
  r = await sync(rig, pod);
  assert.equal(r.resyncAfterMs, 7000, 'then the sync when the 10 s back-off ends');
  rig.clock.advance(6000);
  await sync(rig, pod);
  assert.equal(rig.runtime.runningContainer('c'), undefined, 'still backing off');
  rig.clock.advance(1000);
  await sync(rig, pod);
  const third = rig.runtime.runningContainer('c')!;
  assert.equal(stateOf(pod, 'c').restartCount, 2);
  rig.runtime.exitContainer(third, 2);
  r = await sync(rig, pod);
  assert.match(stateOf(pod, 'c').state!.waiting!.message!, /back-off 20s/);
  rig.clock.advance(3000);
  r = await sync(rig, pod);
  assert.equal(r.resyncAfterMs, 17_000);
  // Only the newest two containers are kept (current and previous).
  assert.equal(rig.runtime.containersNamed('c').length, 2);
});

test('restart policies: OnFailure leaves a success alone, Never leaves failures; the phase follows', async () => {
  const rig = syncRig();
  const ok = testPod({ restartPolicy: 'OnFailure', containers: [busybox('c')] });
  await sync(rig, ok);
  rig.runtime.exitContainer(rig.runtime.runningContainer('c', ok.metadata.uid)!, 0);
  await sync(rig, ok);
  assert.equal(rig.runtime.containersNamed('c', ok.metadata.uid).length, 1);
  assert.equal(ok.status!.phase, 'Succeeded');
  assert.equal(cond(ok, 'Ready').reason, 'PodCompleted');
  // A terminal pod's sandbox is stopped.
  assert.equal(rig.runtime.sandboxList().find((s) => s.uid === ok.metadata.uid)!.state, 'SANDBOX_NOTREADY');
  const bad = testPod({ restartPolicy: 'Never', containers: [busybox('c')] });
  await sync(rig, bad);
  rig.runtime.exitContainer(rig.runtime.runningContainer('c', bad.metadata.uid)!, 3, 'Error', 'boom');
  await sync(rig, bad);
  assert.equal(bad.status!.phase, 'Failed');
  assert.equal(stateOf(bad, 'c').state!.terminated!.exitCode, 3);
  assert.equal(stateOf(bad, 'c').state!.terminated!.reason, 'Error');
  // A terminal phase never goes back, even if the runtime forgets the pod.
  for (const s of rig.runtime.sandboxList()) await rig.runtime.removePodSandbox(s.id);
  await sync(rig, bad);
  assert.equal(bad.status!.phase, 'Failed');
});

test('a container that just exited is looked at again within a second, so a late OOMKilled reason is reported', async () => {
  const rig = syncRig();
  const pod = testPod({ restartPolicy: 'Never', containers: [busybox('hog')] });
  await sync(rig, pod);
  const id = rig.runtime.runningContainer('hog', pod.metadata.uid)!;
  rig.runtime.exitContainer(id, 137, 'Error');
  const first = await sync(rig, pod);
  assert.equal(stateOf(pod, 'hog').state!.terminated!.reason, 'Error');
  assert.equal(first.resyncAfterMs, 1000, 'a second look is due soon after the exit');
  rig.runtime.amendExitReason(id, 'OOMKilled');
  rig.clock.advance(1000);
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'hog').state!.terminated!.reason, 'OOMKilled');
  assert.equal(pod.status!.phase, 'Failed');
  rig.clock.advance(5000);
  const later = await sync(rig, pod);
  assert.equal(later.resyncAfterMs, undefined, 'long after the exit, only the regular resync');
});

test('image pull policies and failures: ErrImagePull, then ImagePullBackOff; ErrImageNeverPull', async () => {
  const rig = syncRig({ images: [] });
  rig.runtime.setPullError('example.com/app:1', new CriError('PullImage', 'Unknown', 'not found'));
  const pod = testPod({ containers: [{ name: 'c', image: 'example.com/app:1' }] });
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').state!.waiting!.reason, 'ErrImagePull');
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').state!.waiting!.reason, 'ImagePullBackOff');
  assert.equal(rig.runtime.callsOf('pullImage').length, 1);
  rig.runtime.setPullError('example.com/app:1', undefined);
  rig.clock.advance(10_001);
  await sync(rig, pod);
  assert.ok(rig.runtime.runningContainer('c'));
  assert.equal(pod.status!.phase, 'Running');

  const never = testPod({ containers: [{ name: 'c', image: 'missing:1', imagePullPolicy: 'Never' }] });
  await sync(rig, never);
  assert.equal(stateOf(never, 'c').state!.waiting!.reason, 'ErrImageNeverPull');

  // No tag means :latest means Always: pulled although present.
  rig.runtime.addImage('web');
  const latest = testPod({ containers: [{ name: 'c', image: 'web' }] });
  const pulls = rig.runtime.callsOf('pullImage').length;
  await sync(rig, latest);
  assert.equal(rig.runtime.callsOf('pullImage').length, pulls + 1);
});

test('imagePullSecrets become the pull auth for a matching registry', async () => {
  const rig = syncRig({ images: [] });
  const cfg = { auths: { 'https://reg.example.com:5000': { auth: Buffer.from('bob:s3cret').toString('base64') } } };
  rig.secrets.set('default/regcred', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(cfg)).toString('base64') } });
  const pod = testPod({ imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'c', image: 'reg.example.com:5000/team/app:2' }] });
  await sync(rig, pod);
  const call = rig.runtime.callsOf('pullImage')[0]!;
  assert.deepEqual(call.args[1], { server_address: 'reg.example.com:5000', username: 'bob', password: 's3cret' });
});

test('a changed container spec replaces the container', async () => {
  const rig = syncRig();
  rig.runtime.addImage('busybox:1.36');
  const pod = testPod({ containers: [busybox('c')] });
  await sync(rig, pod);
  const first = rig.runtime.runningContainer('c')!;
  pod.spec.containers[0]!.image = 'busybox:1.36';
  await sync(rig, pod);
  const next = rig.runtime.runningContainer('c')!;
  assert.notEqual(next, first);
  assert.equal(rig.runtime.containerConfig(next)!.image.image, 'busybox:1.36');
  assert.equal(rig.runtime.callsOf('runPodSandbox').length, 1, 'same sandbox');
});

test('a failed liveness probe kills the container with its grace period and the restart policy restarts it', async () => {
  const rig = syncRig();
  let healthy = true;
  rig.runtime.execHandler = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: healthy ? 0 : 1 });
  const pod = testPod({ containers: [busybox('c', { livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5, failureThreshold: 2, terminationGracePeriodSeconds: 7 } })] });
  await sync(rig, pod);
  const first = rig.runtime.runningContainer('c')!;
  const tick = async (ms: number) => {
    rig.clock.advance(ms);
    await rig.probes.settled();
  };
  await tick(5000);
  healthy = false;
  await tick(5000);
  assert.equal(rig.changed.length, 0, 'one failure is below the threshold');
  await tick(5000);
  assert.ok(rig.changed.includes(pod.metadata.uid!), 'liveness failure reported');
  await sync(rig, pod);
  const stop = rig.runtime.callsOf('stopContainer').find((c) => c.args[0] === first)!;
  assert.equal(stop.args[1], 7);
  const second = rig.runtime.runningContainer('c')!;
  assert.notEqual(second, first);
  assert.equal(stateOf(pod, 'c').restartCount, 1);
});

test('readiness is false until the first success; a startup probe holds readiness back', async () => {
  const rig = syncRig();
  let ready = false;
  rig.runtime.execHandler = (_id, cmd) => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: cmd[0] === 'start' || ready ? 0 : 1 });
  const pod = testPod({ containers: [busybox('c', { readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1 }, startupProbe: { exec: { command: ['start'] }, initialDelaySeconds: 3, periodSeconds: 1 } })] });
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').ready, false);
  assert.equal(stateOf(pod, 'c').started, false);
  assert.equal(cond(pod, 'Ready').reason, 'ContainersNotReady');
  ready = true;
  rig.clock.advance(2000);
  await rig.probes.settled();
  assert.equal(rig.runtime.callsOf('execSync').length, 0, 'nothing runs before the startup probe is due, readiness waits for startup');
  rig.clock.advance(1000);
  await rig.probes.settled();
  assert.ok(rig.changed.length > 0);
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').started, true);
  rig.clock.advance(1000);
  await rig.probes.settled();
  assert.ok(rig.probes.ready(rig.runtime.runningContainer('c')!));
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').ready, true);
  assert.equal(cond(pod, 'Ready').status, 'True');
});

test('graceful deletion: preStop, then StopContainer with the remaining grace, sandbox, volumes, API delete', async () => {
  const rig = syncRig();
  const pod = testPod({ terminationGracePeriodSeconds: 20, containers: [busybox('c', { lifecycle: { preStop: { exec: { command: ['drain'] } } } }), busybox('d')] });
  await sync(rig, pod);
  const c = rig.runtime.runningContainer('c')!;
  rig.runtime.execHandler = (id, cmd) => {
    rig.order.push(`exec ${cmd.join(' ')}`);
    rig.clock.advance(5000);
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 };
  };
  const origStop = rig.runtime.stopContainer.bind(rig.runtime);
  rig.runtime.stopContainer = async (id, t) => {
    rig.order.push(`stop ${id === c ? 'c' : 'd'} ${t}`);
    return origStop(id, t);
  };
  const origSb = rig.runtime.stopPodSandbox.bind(rig.runtime);
  rig.runtime.stopPodSandbox = async (id) => {
    rig.order.push('stopSandbox');
    return origSb(id);
  };
  pod.metadata.deletionTimestamp = new Date(rig.clock.now() + 20_000).toISOString();
  pod.metadata.deletionGracePeriodSeconds = 20;
  const r = await rig.syncer.sync(pod);
  assert.equal(r.finished, true);
  assert.equal(r.status!.phase, 'Failed', 'killed containers: a final phase of Failed');
  assert.equal(rig.status.written.at(-1)!.phase, 'Failed');
  const uid = pod.metadata.uid!;
  const idx = (s: string) => rig.order.indexOf(s);
  assert.ok(idx('exec drain') >= 0 && idx('exec drain') < idx('stop c 15'), rig.order.join(', '));
  assert.ok(idx('stop d 20') >= 0, rig.order.join(', '));
  assert.ok(idx('stop c 15') < idx('stopSandbox'));
  assert.ok(idx('stopSandbox') < idx(`tearDown ${uid}`));
  assert.ok(idx(`tearDown ${uid}`) < idx(`delete ${uid}`));
  assert.equal(rig.runtime.sandboxList().length, 0, 'removed from the runtime');
});

test('a restarted agent adopts running containers: nothing restarts, counts survive', async () => {
  const rig = syncRig();
  const pod = testPod({ initContainers: [busybox('i')], containers: [busybox('c', { startupProbe: { exec: { command: ['x'] }, periodSeconds: 1 }, readinessProbe: { exec: { command: ['x'] }, periodSeconds: 1 } })] });
  await sync(rig, pod);
  rig.runtime.exitContainer(rig.runtime.runningContainer('i')!, 0);
  await sync(rig, pod);
  rig.runtime.exitContainer(rig.runtime.runningContainer('c')!, 1);
  await sync(rig, pod);
  rig.clock.advance(1000);
  await rig.probes.settled();
  rig.clock.advance(1000);
  await rig.probes.settled();
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').ready, true);
  assert.equal(stateOf(pod, 'c').started, true);
  rig.clock.advance(1000);
  const running = rig.runtime.runningContainer('c')!;
  const creates = rig.runtime.callsOf('createContainer').length;
  const before = pod.status!;
  // A new agent: fresh syncer, prober and image manager over the same runtime.
  const probes = new ProbeManager({ runtime: rig.runtime, clock: rig.clock, log: silentLogger, onChange: () => undefined });
  const syncer = new PodSyncer({ runtime: rig.runtime, images: new ImageManager(rig.runtime, async () => undefined, rig.clock), volumes: rig.volumes, config: new (await import('./testing/doubles.js')).SimpleConfig(), probes, status: rig.status as unknown as StatusManager, clock: rig.clock, log: silentLogger, hostIPs: ['192.0.2.10'] });
  const r = await syncer.sync(pod);
  assert.equal(rig.runtime.callsOf('createContainer').length, creates);
  assert.equal(rig.runtime.callsOf('runPodSandbox').length, 1);
  assert.equal(rig.runtime.runningContainer('c'), running);
  assert.deepEqual(r.status!.containerStatuses, before.containerStatuses);
  assert.deepEqual(r.status!.initContainerStatuses, before.initContainerStatuses);
  assert.equal(r.status!.containerStatuses![0]!.restartCount, 1);
});

test('a pod past activeDeadlineSeconds fails with DeadlineExceeded and is stopped', async () => {
  const rig = syncRig();
  const pod = testPod({ activeDeadlineSeconds: 30, containers: [busybox('c')] });
  const r = await sync(rig, pod);
  assert.equal(r.resyncAfterMs, 30_000);
  rig.clock.advance(30_000);
  await sync(rig, pod);
  assert.equal(pod.status!.phase, 'Failed');
  assert.equal(pod.status!.reason, 'DeadlineExceeded');
  assert.equal(rig.runtime.runningContainer('c'), undefined);
});

test('a lost sandbox is recreated with a bumped attempt after its containers are killed', async () => {
  const rig = syncRig();
  const pod = testPod({ containers: [busybox('c')] });
  await sync(rig, pod);
  const sb = rig.runtime.sandboxList()[0]!;
  rig.runtime.killSandbox(sb.id);
  await sync(rig, pod);
  const sbs = rig.runtime.sandboxList();
  assert.equal(sbs.length, 2);
  assert.equal(sbs.find((s) => s.id !== sb.id)!.attempt, 1);
  const c = rig.runtime.runningContainer('c')!;
  assert.equal(rig.runtime.containerConfig(c)!.metadata.attempt, 1, 'the restart count goes on across sandboxes');
  assert.equal(stateOf(pod, 'c').restartCount, 1);
  // Another loss: the oldest stopped sandbox goes, the previous one stays (its container is the "previous").
  rig.runtime.killSandbox(rig.runtime.sandboxList().find((s) => s.state === 'SANDBOX_READY')!.id);
  await sync(rig, pod);
  assert.equal(rig.runtime.sandboxList().length, 2);
  assert.equal(stateOf(pod, 'c').restartCount, 2);
});

test('failed sandbox creations do not pile up', async () => {
  const rig = syncRig();
  const pod = testPod({ containers: [busybox('c')] });
  const orig = rig.runtime.runPodSandbox.bind(rig.runtime);
  rig.runtime.runPodSandbox = async (cfg) => {
    const id = await orig(cfg);
    rig.runtime.killSandbox(id);
    throw new CriError('RunPodSandbox', 'Unknown', 'cni plugin not initialized');
  };
  for (let i = 0; i < 4; i++) await sync(rig, pod);
  assert.equal(rig.runtime.sandboxList().length, 0, 'each failed one removed');
  assert.equal(rig.runtime.callsOf('runPodSandbox').length, 4);
  assert.equal(stateOf(pod, 'c').state!.waiting!.reason, 'ContainerCreating');
  assert.equal(cond(pod, 'PodReadyToStartContainers').status, 'False');
});

test('hostNetwork pods report the host IP as pod IP', async () => {
  const rig = syncRig();
  const pod = testPod({ hostNetwork: true, containers: [busybox('c')] });
  await sync(rig, pod);
  assert.equal(pod.status!.podIP, '192.0.2.10');
  assert.deepEqual(pod.status!.podIPs, [{ ip: '192.0.2.10' }]);
});

test('a runtime pod no source knows is stopped and removed', async () => {
  const rig = syncRig();
  const pod = testPod({ containers: [busybox('c')] });
  await sync(rig, pod);
  await rig.syncer.cleanupOrphan(pod.metadata.uid!);
  assert.equal(rig.runtime.sandboxList().length, 0);
  assert.equal(rig.runtime.containersNamed('c').length, 0);
  assert.deepEqual(rig.volumes.tearDowns, [pod.metadata.uid]);
});

test('a container whose start failed is replaced, not left behind', async () => {
  const rig = syncRig();
  rig.runtime.failNextCall('startContainer', new CriError('StartContainer', 'Unknown', 'exec format error'));
  const pod = testPod({ containers: [busybox('c')] });
  await sync(rig, pod);
  assert.equal(stateOf(pod, 'c').state!.waiting!.reason, 'RunContainerError');
  assert.equal(rig.runtime.containersNamed('c')[0]!.state, 'CONTAINER_CREATED');
  await sync(rig, pod);
  const all = rig.runtime.containersNamed('c');
  assert.equal(all.length, 1);
  assert.equal(all[0]!.state, 'CONTAINER_RUNNING');
  assert.equal(all[0]!.attempt, 0);
});

test('a failing postStart hook kills the container', async () => {
  const rig = syncRig();
  rig.runtime.execHandler = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.from('nope'), exit_code: 1 });
  const pod = testPod({ containers: [busybox('c', { lifecycle: { postStart: { exec: { command: ['hook'] } } } })] });
  await sync(rig, pod);
  assert.equal(rig.runtime.runningContainer('c'), undefined);
  assert.equal(stateOf(pod, 'c').state!.waiting!.reason, 'PostStartHookError');
});

test('volumes that cannot be set up keep the containers from starting; the next sync starts them', async () => {
  const rig = syncRig();
  const syncer = rig.syncer;
  const pod = testPod({ containers: [busybox('a')] });
  rig.volumes.failWith = 'configmap "cfg" not found';
  const r = await syncer.sync(pod);
  assert.equal(r.resyncAfterMs, 2000);
  assert.deepEqual(rig.events, ['Warning FailedMount']);
  assert.equal(rig.runtime.runningContainer('a'), undefined, 'no container without its volumes');
  assert.equal(r.status!.phase, 'Pending');
  assert.equal(r.status!.containerStatuses![0]!.state!.waiting?.reason, 'ContainerCreating');
  rig.volumes.failWith = undefined;
  const again = await syncer.sync({ ...pod, status: r.status });
  assert.ok(rig.runtime.runningContainer('a'));
  assert.equal(again.status!.phase, 'Running');
  assert.equal(rig.runtime.sandboxList().length, 1);
});

test("a new pod's first sync reads its fresh sandbox with one status call, not a second full read of the pod", async () => {
  const rig = syncRig();
  const pod = testPod({ containers: [busybox('a')] });
  await sync(rig, pod);
  const lists = rig.runtime.calls.filter((c) => c.method === 'listPodSandbox').length;
  assert.equal(lists, 2, 'one read before, one after the containers start');
  assert.equal(pod.status!.podIP, '10.42.0.2', 'the IP comes from that status call');
  assert.equal(pod.status!.phase, 'Running');
});
