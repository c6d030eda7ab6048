import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podPrinter } from './pod.js';
import { NOW, ago, meta, units } from './testutil.js';

const { s, m, h } = units;
type O = Record<string, unknown>;

function pod(spec: O, status: O, metaExtra: O = {}): O {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta('web', 5 * m, metaExtra), spec, status };
}
const containers = (...names: string[]) => names.map((name) => ({ name, image: `${name}:1` }));
const running = (name: string, ready = true, restartCount = 0, extra: O = {}) => ({
  name,
  ready,
  restartCount,
  state: { running: { startedAt: ago(4 * m) } },
  ...extra,
});
/** READY, STATUS, RESTARTS of a pod. */
const summary = (p: O) => podPrinter.cells(p, NOW).slice(1, 4);

test('pod columns are upstream names, wide ones at priority 1', () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
  );
  assert.equal(podPrinter.columns[0].format, 'name');
});

test('running pod: all cells including wide ones', () => {
  const p = pod(
    { containers: containers('app'), nodeName: 'node1' },
    { phase: 'Running', podIP: '10.42.0.5', podIPs: [{ ip: '10.42.0.5' }], containerStatuses: [running('app')] },
  );
  assert.deepEqual(podPrinter.cells(p, NOW), ['web', '1/1', 'Running', '0', '5m', '10.42.0.5', 'node1', '<none>', '<none>']);
  assert.equal(podPrinter.conditions?.(p), undefined);
});

test('pending pod with nothing assigned', () => {
  const p = pod({ containers: containers('app') }, { phase: 'Pending' });
  assert.deepEqual(podPrinter.cells(p, NOW), ['web', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
});

test('podIP is used when podIPs is absent; nominated node is shown', () => {
  const p = pod({ containers: containers('app') }, { phase: 'Pending', podIP: '10.42.1.9', nominatedNodeName: 'n2' });
  assert.deepEqual(podPrinter.cells(p, NOW).slice(5), ['10.42.1.9', '<none>', 'n2', '<none>']);
});

test('waiting reasons: ContainerCreating, ImagePullBackOff, CrashLoopBackOff with restart age', () => {
  const waiting = (reason: string, extra: O = {}) => ({ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason } }, ...extra });
  assert.deepEqual(summary(pod({ containers: containers('app') }, { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] })), [
    '0/1',
    'ContainerCreating',
    '0',
  ]);
  assert.deepEqual(summary(pod({ containers: containers('app') }, { phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] })), [
    '0/1',
    'ImagePullBackOff',
    '0',
  ]);
  const crash = waiting('CrashLoopBackOff', {
    restartCount: 5,
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(3 * m + 20 * s) } },
  });
  assert.deepEqual(summary(pod({ containers: containers('app') }, { phase: 'Running', containerStatuses: [crash] })), [
    '0/1',
    'CrashLoopBackOff',
    '5 (3m20s ago)',
  ]);
});

test('restarts sum over containers and use the latest termination', () => {
  const a = running('a', true, 2, { lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * h) } } });
  const b = running('b', true, 1, { lastState: { terminated: { exitCode: 1, finishedAt: ago(45 * s) } } });
  assert.deepEqual(summary(pod({ containers: containers('a', 'b') }, { phase: 'Running', containerStatuses: [a, b] })), [
    '2/2',
    'Running',
    '3 (45s ago)',
  ]);
  // Restarts without a recorded termination time print the bare count.
  const c = running('a', true, 4);
  assert.deepEqual(summary(pod({ containers: containers('a') }, { phase: 'Running', containerStatuses: [c] })), ['1/1', 'Running', '4']);
});

test('terminated containers: Completed, Error, OOMKilled, ExitCode, Signal', () => {
  const term = (t: O) => ({ name: 'app', ready: false, restartCount: 0, state: { terminated: t } });
  const done = pod({ containers: containers('app') }, { phase: 'Succeeded', containerStatuses: [term({ exitCode: 0, reason: 'Completed' })] });
  assert.deepEqual(summary(done), ['0/1', 'Completed', '0']);
  assert.deepEqual(podPrinter.conditions?.(done), [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
  const failed = pod({ containers: containers('app') }, { phase: 'Failed', containerStatuses: [term({ exitCode: 1, reason: 'Error' })] });
  assert.deepEqual(summary(failed), ['0/1', 'Error', '0']);
  assert.equal(podPrinter.conditions?.(failed)?.[0].reason, 'Failed');
  assert.equal(summary(pod({ containers: containers('app') }, { phase: 'Running', containerStatuses: [term({ exitCode: 137, reason: 'OOMKilled' })] }))[1], 'OOMKilled');
  assert.equal(summary(pod({ containers: containers('app') }, { phase: 'Failed', containerStatuses: [term({ exitCode: 2 })] }))[1], 'ExitCode:2');
  assert.equal(summary(pod({ containers: containers('app') }, { phase: 'Failed', containerStatuses: [term({ exitCode: 137, signal: 9 })] }))[1], 'Signal:9');
});

test('the first container decides the status when several report', () => {
  const a = { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } };
  const b = { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } };
  assert.equal(summary(pod({ containers: containers('a', 'b') }, { phase: 'Pending', containerStatuses: [a, b] }))[1], 'ErrImagePull');
});

test('a completed container next to a running one: Running if the pod is Ready, else NotReady', () => {
  const done = { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
  const statuses = [done, running('b')];
  const notReady = pod({ containers: containers('a', 'b') }, { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'False' }] });
  assert.deepEqual(summary(notReady), ['1/2', 'NotReady', '0']);
  const ready = pod({ containers: containers('a', 'b') }, { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] });
  assert.deepEqual(summary(ready), ['1/2', 'Running', '0']);
});

test('a running but unready container keeps the phase and is not counted ready', () => {
  assert.deepEqual(summary(pod({ containers: containers('app') }, { phase: 'Running', containerStatuses: [running('app', false)] })), [
    '0/1',
    'Running',
    '0',
  ]);
});

test('init containers: Init:N/M, Init:<reason>, Init:ExitCode, PodInitializing', () => {
  const spec = { initContainers: containers('i1', 'i2'), containers: containers('app') };
  const initRunning = { name: 'i1', ready: false, restartCount: 0, state: { running: { startedAt: ago(m) } } };
  const initWaiting = { name: 'i2', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } };
  const appWaiting = { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } };
  assert.deepEqual(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [initRunning, initWaiting], containerStatuses: [appWaiting] })), [
    '0/1',
    'Init:0/2',
    '0',
  ]);

  const initDone = { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
  const i2Running = { name: 'i2', ready: false, restartCount: 0, state: { running: {} } };
  assert.equal(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [initDone, i2Running], containerStatuses: [appWaiting] }))[1], 'Init:1/2');

  const crash = {
    name: 'i1',
    ready: false,
    restartCount: 3,
    state: { waiting: { reason: 'CrashLoopBackOff' } },
    lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * s) } },
  };
  assert.deepEqual(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [crash, initWaiting] })), [
    '0/1',
    'Init:CrashLoopBackOff',
    '3 (30s ago)',
  ]);

  const failed = { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } };
  assert.equal(summary(pod(spec, { phase: 'Failed', initContainerStatuses: [failed, initWaiting] }))[1], 'Init:Error');
  const noReason = { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } };
  assert.equal(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [noReason, initWaiting] }))[1], 'Init:ExitCode:2');
  const signal = { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, signal: 15 } } };
  // exit code 0 counts as success whatever the signal
  assert.equal(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [signal, i2Running] }))[1], 'Init:1/2');

  const i2Done = { ...initDone, name: 'i2' };
  assert.deepEqual(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [initDone, i2Done], containerStatuses: [appWaiting] })), [
    '0/1',
    'PodInitializing',
    '0',
  ]);
});

test('restartable init containers (sidecars) count toward READY and RESTARTS', () => {
  const spec = { initContainers: [{ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always' }], containers: containers('app') };
  const sidecar = {
    name: 'proxy',
    ready: true,
    started: true,
    restartCount: 1,
    state: { running: {} },
    lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * m) } },
  };
  const p = pod(spec, {
    phase: 'Running',
    conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [sidecar],
    containerStatuses: [running('app')],
  });
  assert.deepEqual(summary(p), ['2/2', 'Running', '1 (10m ago)']);
  const notStarted = { ...sidecar, started: false, ready: false, state: { running: {} } };
  assert.equal(summary(pod(spec, { phase: 'Pending', initContainerStatuses: [notStarted] }))[1], 'Init:0/1');
});

test('deletion: Terminating, NodeLost becomes Unknown, finished pods keep their status', () => {
  const statuses = [running('app')];
  assert.equal(
    summary(pod({ containers: containers('app') }, { phase: 'Running', containerStatuses: statuses }, { deletionTimestamp: ago(s) }))[1],
    'Terminating',
  );
  assert.equal(
    summary(pod({ containers: containers('app') }, { phase: 'Running', reason: 'NodeLost', containerStatuses: statuses }, { deletionTimestamp: ago(s) }))[1],
    'Unknown',
  );
  const term = { name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
  assert.equal(
    summary(pod({ containers: containers('app') }, { phase: 'Succeeded', containerStatuses: [term] }, { deletionTimestamp: ago(s) }))[1],
    'Completed',
  );
});

test('status.reason (Evicted) and SchedulingGated', () => {
  assert.equal(summary(pod({ containers: containers('app') }, { phase: 'Failed', reason: 'Evicted', message: 'low on memory' }))[1], 'Evicted');
  const gated = pod(
    { containers: containers('app'), schedulingGates: [{ name: 'example.com/gate' }] },
    { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
  );
  assert.deepEqual(summary(gated), ['0/1', 'SchedulingGated', '0']);
});

test('readiness gates count true conditions', () => {
  const p = pod(
    { containers: containers('app'), readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] },
    {
      phase: 'Running',
      conditions: [
        { type: 'example.com/a', status: 'True' },
        { type: 'example.com/b', status: 'False' },
      ],
      containerStatuses: [running('app')],
    },
  );
  assert.equal(podPrinter.cells(p, NOW)[8], '1/2');
});

test('a pod without metadata.creationTimestamp has AGE <unknown>', () => {
  const p = { metadata: { name: 'x' }, spec: { containers: containers('a') }, status: {} };
  assert.deepEqual(podPrinter.cells(p, NOW).slice(0, 5), ['x', '0/1', '', '0', '<unknown>']);
});
