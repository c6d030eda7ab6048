import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pod } from '../../client/types.js';
import { SimConfigError } from '../errors.js';
import { defaultStages } from './default-stages.js';
import { ANY, parseFieldPath, valuesAt } from './field-path.js';
import { loadStageConfigFile, parseStageConfig } from './load.js';
import { compileStages, matchStage } from './match.js';
import { renderPodStatus } from './render.js';

const pod = (extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', ...extra },
  spec: { nodeName: 'sim-node-0', containers: [{ name: 'app', image: 'nginx:1.25' }], initContainers: [{ name: 'init', image: 'busybox' }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});

const ctx = (now: number) => ({ now, hostIP: '10.244.0.1', allocatePodIP: () => '10.42.0.2' });

/** Runs the default stages until none applies; returns the stage names taken and the final pod. */
function drive(p: Pod): { steps: string[]; pod: Pod; deleted: boolean } {
  const stages = compileStages(defaultStages().stages);
  const steps: string[] = [];
  for (let i = 0; i < 10; i++) {
    const s = matchStage(p, stages);
    if (!s) return { steps, pod: p, deleted: false };
    steps.push(s.stage.name);
    p = { ...p, status: renderPodStatus(p, s.stage.next, ctx(Date.parse('2026-01-01T00:00:10Z') + i * 1000)) };
    if (s.stage.next.delete) return { steps, pod: p, deleted: true };
  }
  throw new Error(`stages loop: ${steps.join(' → ')}`);
}

test('field paths parse and reach values, fanning out over []', () => {
  assert.deepEqual(parseFieldPath('.metadata.annotations["a.b/c"]'), ['metadata', 'annotations', 'a.b/c']);
  assert.deepEqual(parseFieldPath('.metadata.ownerReferences[].kind'), ['metadata', 'ownerReferences', ANY, 'kind']);
  assert.throws(() => parseFieldPath('metadata'), SimConfigError);
  assert.throws(() => parseFieldPath('.a[x]'), SimConfigError);
  const obj = { metadata: { ownerReferences: [{ kind: 'Job' }, { kind: 'X' }], n: null } };
  assert.deepEqual(valuesAt(obj, parseFieldPath('.metadata.ownerReferences[].kind')), ['Job', 'X']);
  assert.deepEqual(valuesAt(obj, parseFieldPath('.metadata.n')), []);
  assert.deepEqual(valuesAt(obj, parseFieldPath('.spec.x')), []);
});

test('default stages take a bound pod through ContainerCreating to Running and Ready, then stop', () => {
  const { steps, pod: p } = drive(pod());
  assert.deepEqual(steps, ['pod-create', 'pod-ready']);
  const st = p.status as Record<string, unknown> & { containerStatuses: { state: object; ready: boolean; containerID: string }[]; initContainerStatuses: { state: { terminated?: { reason: string } } }[]; conditions: { type: string; status: string; lastTransitionTime: string }[] };
  assert.equal(st.phase, 'Running');
  assert.equal(st.podIP, '10.42.0.2');
  assert.deepEqual(st.podIPs, [{ ip: '10.42.0.2' }]);
  assert.equal(st.hostIP, '10.244.0.1');
  assert.equal(st.startTime, '2026-01-01T00:00:10Z', 'startTime set at first sighting and kept');
  assert.equal(st.qosClass, 'BestEffort');
  assert.deepEqual(st.containerStatuses[0]!.state, { running: { startedAt: '2026-01-01T00:00:11Z' } });
  assert.equal(st.containerStatuses[0]!.ready, true);
  assert.match(st.containerStatuses[0]!.containerID, /^kubets-sim:\/\/[0-9a-f]{64}$/);
  assert.equal(st.initContainerStatuses[0]!.state.terminated?.reason, 'Completed');
  const cond = Object.fromEntries(st.conditions.map((c) => [c.type, c]));
  for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) assert.equal(cond[t]?.status, 'True', t);
  assert.equal(cond.PodScheduled!.lastTransitionTime, '2026-01-01T00:00:00Z', 'unchanged conditions keep their transition time');
  assert.equal(cond.Ready!.lastTransitionTime, '2026-01-01T00:00:11Z');
});

test('the ContainerCreating step shows waiting containers and no pod IP', () => {
  const stages = compileStages(defaultStages().stages);
  const p = pod();
  const s = matchStage(p, stages)!;
  const st = renderPodStatus(p, s.stage.next, ctx(0)) as { phase: string; podIP?: string; containerStatuses: { state: { waiting?: { reason: string } } }[] };
  assert.equal(st.phase, 'Pending');
  assert.equal(st.podIP, undefined);
  assert.equal(st.containerStatuses[0]!.state.waiting?.reason, 'ContainerCreating');
});

test('complete-after pods succeed; an exit-code annotation fails them with that code', () => {
  const ok = drive(pod({ annotations: { 'sim.kubets.io/complete-after': '5s' } }));
  assert.deepEqual(ok.steps, ['pod-create', 'pod-ready', 'pod-complete:sim.kubets.io/complete-after']);
  const okSt = ok.pod.status as { phase: string; containerStatuses: { state: { terminated: { exitCode: number; reason: string } } }[] };
  assert.equal(okSt.phase, 'Succeeded');
  assert.deepEqual([okSt.containerStatuses[0]!.state.terminated.exitCode, okSt.containerStatuses[0]!.state.terminated.reason], [0, 'Completed']);

  const bad = drive(pod({ annotations: { 'kwok.x-k8s.io/complete-after': '1s', 'sim.kubets.io/exit-code': '3' } }));
  assert.equal(bad.steps.at(-1), 'pod-fail:kwok.x-k8s.io/complete-after');
  const badSt = bad.pod.status as { phase: string; containerStatuses: { state: { terminated: { exitCode: number; reason: string } } }[] };
  assert.equal(badSt.phase, 'Failed');
  assert.deepEqual([badSt.containerStatuses[0]!.state.terminated.exitCode, badSt.containerStatuses[0]!.state.terminated.reason], [3, 'Error']);

  const zero = drive(pod({ annotations: { 'sim.kubets.io/complete-after': '1s', 'sim.kubets.io/exit-code': '0' } }));
  assert.equal((zero.pod.status as { phase: string }).phase, 'Succeeded');
});

test('containers that exit are restarted by restart policy, as the kubelet does', () => {
  const stages = compileStages(defaultStages().stages);
  // Drive to Running first, then give the pod its policy and annotations.
  const running = (restartPolicy: string, annotations: Record<string, string>): Pod => {
    const p = drive(pod()).pod;
    return { ...p, metadata: { ...p.metadata, annotations }, spec: { ...p.spec!, restartPolicy } };
  };
  type St = { phase: string; containerStatuses: { restartCount: number; ready: boolean; containerID: string; state: { running?: unknown }; lastState?: { terminated?: { exitCode: number; reason: string } } }[] };
  const step = (p: Pod) => {
    const s = matchStage(p, stages)!;
    return { name: s.stage.name, pod: { ...p, status: renderPodStatus(p, s.stage.next, ctx(Date.parse('2026-01-01T00:01:00Z'))) } };
  };

  const always = step(running('Always', { 'sim.kubets.io/complete-after': '1s' }));
  assert.equal(always.name, 'pod-restart-always:sim.kubets.io/complete-after');
  const a = always.pod.status as unknown as St;
  assert.equal(a.phase, 'Running');
  assert.equal(a.containerStatuses[0]!.restartCount, 1);
  assert.deepEqual([a.containerStatuses[0]!.lastState?.terminated?.exitCode, a.containerStatuses[0]!.lastState?.terminated?.reason], [0, 'Completed']);
  assert.ok(a.containerStatuses[0]!.state.running && a.containerStatuses[0]!.ready);
  const again = step(always.pod).pod.status as unknown as St;
  assert.equal(again.containerStatuses[0]!.restartCount, 2, 'a restarted container can exit again');
  assert.notEqual(again.containerStatuses[0]!.containerID, a.containerStatuses[0]!.containerID);

  const onFailure = step(running('OnFailure', { 'sim.kubets.io/complete-after': '1s', 'sim.kubets.io/exit-code': '3' }));
  assert.equal(onFailure.name, 'pod-restart-on-failure:sim.kubets.io/complete-after');
  assert.equal((onFailure.pod.status as unknown as St).containerStatuses[0]!.lastState?.terminated?.exitCode, 3);

  assert.equal(step(running('OnFailure', { 'sim.kubets.io/complete-after': '1s' })).name, 'pod-complete:sim.kubets.io/complete-after');
  assert.equal(step(running('Never', { 'sim.kubets.io/complete-after': '1s', 'sim.kubets.io/exit-code': '3' })).name, 'pod-fail:sim.kubets.io/complete-after');
});

test('a deleting pod is stopped (exit 0 with grace, 137 without) and then deleted', () => {
  for (const [grace, code] of [[30, 0], [0, 137]] as const) {
    const running = drive(pod()).pod;
    running.metadata = { ...running.metadata, deletionTimestamp: '2026-01-01T00:01:00Z', deletionGracePeriodSeconds: grace };
    const r = drive(running);
    assert.deepEqual(r.steps, ['pod-delete']);
    assert.equal(r.deleted, true);
    const st = r.pod.status as { containerStatuses: { ready: boolean; state: { terminated: { exitCode: number } } }[]; conditions: { type: string; status: string }[] };
    assert.equal(st.containerStatuses[0]!.state.terminated.exitCode, code);
    assert.equal(st.containerStatuses[0]!.ready, false);
    assert.equal(st.conditions.find((c) => c.type === 'Ready')!.status, 'False');
  }
});

test('stage configs load from YAML with durations, and bad ones are refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-sim-stages-'));
  try {
    const file = path.join(dir, 'stages.yaml');
    fs.writeFileSync(file, [
      'kind: StageConfig',
      'stages:',
      '- name: slow-start',
      '  selector: { phase: [Pending], matchLabels: { app: web }, matchExpressions: [{ key: .status.podIP, operator: DoesNotExist }] }',
      '  delay: { duration: 1.5s, jitter: 100ms }',
      '  next: { phase: Running, containers: { state: running, ready: false }, assignNetwork: true }',
    ].join('\n'));
    const cfg = loadStageConfigFile(file);
    assert.equal(cfg.stages.length, 1);
    assert.deepEqual(cfg.stages[0]!.delay, { durationMs: 1500, jitterMs: 100 });
    const stages = compileStages(cfg.stages);
    assert.equal(matchStage({ ...pod(), metadata: { name: 'p', labels: { app: 'web' } } }, stages)?.stage.name, 'slow-start');
    assert.equal(matchStage(pod(), stages), undefined, 'label selector must hold');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => parseStageConfig({}), SimConfigError);
  assert.throws(() => parseStageConfig([{ name: 'x', next: { phase: 'Done' } }]), SimConfigError);
  assert.throws(() => parseStageConfig([{ name: 'x', selector: { matchExpressions: [{ key: '.a', operator: 'Maybe' }] }, next: {} }]), SimConfigError);
  assert.throws(() => parseStageConfig([{ name: 'x', next: {} }, { name: 'x', next: {} }]), /duplicate/);
  assert.throws(() => parseStageConfig([{ name: 'x', delay: { duration: 'soon' }, next: {} }]), SimConfigError);
  assert.equal(parseStageConfig(defaultStages()).stages.length, defaultStages().stages.length, 'the defaults are a valid config');
});
