import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus, Pod } from '../../api/core-v1.js';
import type { RuntimeContainer, RuntimePod } from '../runtime-pod.js';
import { computePodStatus, podPhase } from './compute.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const pod = (extra: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'p', namespace: 'd', uid: 'u' }, spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i', resources: { requests: { cpu: '1' } } }], ...extra } });
const ctr = (name: string, over: Partial<RuntimeContainer>): RuntimeContainer => ({
  id: `${name}-id`, sandboxId: 's', name, attempt: 0, state: 'CONTAINER_RUNNING', createdAt: T, startedAt: T, finishedAt: 0, exitCode: 0, reason: '', message: '', image: 'i', imageRef: 'sha256:1', hash: '', restartCount: 0, type: 'regular', terminationGracePeriod: 30, logPath: '', mounts: [], annotations: {}, ...over,
});
const rt = (containers: RuntimeContainer[]): RuntimePod => ({ uid: 'u', name: 'p', namespace: 'd', sandboxes: [{ id: 's', state: 'SANDBOX_READY', attempt: 0, createdAt: T, ip: '10.42.0.9', additionalIps: [] }], containers });
const probes = (ready: boolean) => ({ ready: () => ready, started: () => true });

test('conditions keep their lastTransitionTime while their status holds', () => {
  const p = pod();
  const s1 = computePodStatus({ pod: p, rt: rt([ctr('a', {}), ctr('b', {})]), now: T, hostIPs: ['192.0.2.1'], probes: probes(false), waiting: new Map() });
  assert.equal(s1.conditions!.find((c) => c.type === 'Ready')!.message, 'containers with unready status: [a b]');
  assert.equal(s1.qosClass, 'Burstable');
  p.status = s1;
  const s2 = computePodStatus({ pod: p, rt: rt([ctr('a', {}), ctr('b', {})]), now: T + 60_000, hostIPs: ['192.0.2.1'], probes: probes(true), waiting: new Map() });
  const ready = s2.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'True');
  assert.equal(ready.lastTransitionTime, '2026-01-01T00:01:00Z');
  assert.equal(s2.conditions!.find((c) => c.type === 'Initialized')!.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(s2.startTime, '2026-01-01T00:00:00Z');
});

test('terminated states carry exit code, reason, times, container ID and the termination message', () => {
  const s = computePodStatus({
    pod: pod({ restartPolicy: 'Never' }),
    rt: rt([ctr('a', { state: 'CONTAINER_EXITED', exitCode: 137, reason: 'OOMKilled', finishedAt: T + 5000 }), ctr('b', { state: 'CONTAINER_EXITED', exitCode: 0, finishedAt: T + 1000 })]),
    now: T + 6000,
    hostIPs: ['192.0.2.1'],
    probes: probes(true),
    waiting: new Map(),
    messages: new Map([['a-id', 'out of memory']]),
  });
  const a = s.containerStatuses![0]!;
  assert.deepEqual(a.state!.terminated, { exitCode: 137, reason: 'OOMKilled', message: 'out of memory', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:05Z', containerID: 'containerd://a-id' });
  assert.equal(s.containerStatuses![1]!.state!.terminated!.reason, 'Completed');
  assert.equal(s.phase, 'Failed');
});

test('phase rules', () => {
  const running: ContainerStatus = { name: 'a', state: { running: {} }, ready: true, restartCount: 0, image: '', imageID: '' };
  const done = (code: number): ContainerStatus => ({ name: 'a', state: { terminated: { exitCode: code } }, ready: false, restartCount: 0, image: '', imageID: '' });
  const waiting: ContainerStatus = { name: 'a', state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0, image: '', imageID: '' };
  const crash: ContainerStatus = { name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } }, ready: false, restartCount: 3, image: '', imageID: '' };
  const p = (restartPolicy: 'Always' | 'OnFailure' | 'Never') => pod({ restartPolicy });
  assert.equal(podPhase(p('Always'), [], [running, waiting]), 'Pending');
  assert.equal(podPhase(p('Always'), [], [running, crash]), 'Running');
  assert.equal(podPhase(p('Never'), [], [done(0), done(0)]), 'Succeeded');
  assert.equal(podPhase(p('Never'), [], [done(0), done(1)]), 'Failed');
  assert.equal(podPhase(p('OnFailure'), [], [done(0), crash]), 'Running');
  assert.equal(podPhase(p('Always'), [], [done(0), done(0)]), 'Running');
  const withInit = pod({ restartPolicy: 'Never', initContainers: [{ name: 'i' }] });
  assert.equal(podPhase(withInit, [done(1)], [waiting, waiting]), 'Failed');
  assert.equal(podPhase(withInit, [running], [waiting, waiting]), 'Pending');
  // A deleted pod's final phase: nothing restarts any more.
  assert.equal(podPhase(p('Always'), [], [done(0), done(0)], true), 'Succeeded');
  assert.equal(podPhase(p('Always'), [], [done(0), done(137)], true), 'Failed');
});
