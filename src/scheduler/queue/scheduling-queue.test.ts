import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { ActionType } from '../framework/events.js';
import { defaultFramework, makeNode, makePod } from '../testing/fixtures.js';
import { KeyedHeap } from './heap.js';
import { SchedulingQueue, type QueuedPodInfo } from './scheduling-queue.js';
import { nodeUpdateEvent } from './events.js';

function newQueue(clock = new FakeClock(1_000_000)) {
  const q = new SchedulingQueue({ clock, pluginEvents: defaultFramework().eventsToRegister() });
  return { q, clock };
}

function fail(q: SchedulingQueue, qp: QueuedPodInfo, ...plugins: string[]): void {
  qp.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(qp, q.currentSchedulingCycle);
}

test('activeQ pops by priority, then by arrival', () => {
  const { q, clock } = newQueue();
  q.add(makePod('a', { priority: 1 }));
  clock.advance(1);
  q.add(makePod('b', { priority: 5 }));
  clock.advance(1);
  q.add(makePod('c', { priority: 1 }));
  q.add(makePod('d', { priority: 5 }));
  assert.deepEqual([q.pop(), q.pop(), q.pop(), q.pop()].map((p) => p?.podInfo.pod.metadata.name), ['b', 'd', 'a', 'c']);
  assert.equal(q.pop(), undefined);
});

test('backoff doubles from 1 s and caps at 10 s', () => {
  const { q } = newQueue();
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration(n)), [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('an errored pod waits out its backoff in backoffQ', () => {
  const { q, clock } = newQueue();
  q.add(makePod('p'));
  const p = q.pop()!;
  fail(q, p); // no plugins: an error
  assert.equal(q.where(p.key), 'backoff');
  clock.advance(999);
  q.flushBackoffQCompleted();
  assert.equal(q.where(p.key), 'backoff');
  clock.advance(1);
  q.flushBackoffQCompleted();
  assert.equal(q.where(p.key), 'active');
  // Second failure: 2 s.
  const again = q.pop()!;
  fail(q, again);
  clock.advance(1999);
  q.flushBackoffQCompleted();
  assert.equal(q.where(p.key), 'backoff');
  clock.advance(1);
  q.flushBackoffQCompleted();
  assert.equal(q.where(p.key), 'active');
});

test('unschedulable pods move only on events their rejecting plugins registered for', () => {
  const { q, clock } = newQueue();
  q.add(makePod('cpu'));
  q.add(makePod('taint'));
  const a = q.pop()!;
  const b = q.pop()!;
  fail(q, a, 'NodeResourcesFit');
  fail(q, b, 'TaintToleration');
  assert.deepEqual(q.sizes(), { active: 0, backoff: 0, unschedulable: 2, gated: 0 });
  clock.advance(20_000); // past any backoff
  // A label change helps neither.
  assert.equal(q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: ActionType.UpdateNodeLabel }), 0);
  // A pod deletion frees resources: only the cpu pod moves.
  assert.equal(q.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', action: ActionType.Delete }), 1);
  assert.equal(q.where(a.key), 'active');
  assert.equal(q.where(b.key), 'unschedulable');
  // A taint change moves the other.
  const old = makeNode('n', { taints: [{ key: 'x', effect: 'NoSchedule' }] });
  const now = makeNode('n');
  const ev = nodeUpdateEvent(old, now);
  assert.equal(ev.action & ActionType.UpdateNodeTaint, ActionType.UpdateNodeTaint);
  assert.equal(q.moveAllToActiveOrBackoffQueue(ev, old, now), 1);
  assert.equal(q.where(b.key), 'active');
});

test('queueing hints can skip an event (NodeUnschedulable ignores still-cordoned nodes)', () => {
  const { q, clock } = newQueue();
  q.add(makePod('p'));
  const p = q.pop()!;
  fail(q, p, 'NodeUnschedulable');
  clock.advance(20_000);
  const cordoned = makeNode('n', { unschedulable: true });
  assert.equal(q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: ActionType.Add }, undefined, cordoned), 0);
  assert.equal(q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: ActionType.Add }, undefined, makeNode('m')), 1);
});

test('a moved pod still backing off goes to backoffQ', () => {
  const { q } = newQueue();
  q.add(makePod('p'));
  const p = q.pop()!;
  fail(q, p, 'NodeResourcesFit');
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: ActionType.Add });
  assert.equal(q.where(p.key), 'backoff');
});

test('a move request during the cycle sends the failed pod to backoffQ, not unschedulable', () => {
  const { q } = newQueue();
  q.add(makePod('p'));
  const p = q.pop()!;
  const cycle = q.currentSchedulingCycle;
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: ActionType.Add });
  p.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(p, cycle);
  assert.equal(q.where(p.key), 'backoff');
});

test('pods parked for 5 minutes are flushed by the periodic timer', () => {
  const { q, clock } = newQueue();
  q.run();
  q.add(makePod('p'));
  const p = q.pop()!;
  fail(q, p, 'NodeResourcesFit');
  clock.advance(5 * 60_000);
  assert.equal(q.where(p.key), 'unschedulable'); // exactly 5 min is not "longer than"
  clock.advance(30_000);
  assert.equal(q.where(p.key), 'active');
  q.close();
});

test('popWait resolves when a pod arrives and undefined on close', async () => {
  const { q } = newQueue();
  const waiting = q.popWait();
  q.add(makePod('late'));
  assert.equal((await waiting)?.podInfo.pod.metadata.name, 'late');
  const never = q.popWait();
  q.close();
  assert.equal(await never, undefined);
});

test('updating a parked pod spec moves it; delete removes it everywhere', () => {
  const { q, clock } = newQueue();
  const pod = makePod('p', { cpu: '2' });
  q.add(pod);
  const p = q.pop()!;
  fail(q, p, 'NodeResourcesFit');
  clock.advance(20_000);
  q.update(pod, pod);
  assert.equal(q.where(p.key), 'unschedulable');
  q.update(pod, makePod('p', { cpu: '1' }));
  assert.equal(q.where(p.key), 'active');
  q.delete(pod);
  assert.equal(q.where(p.key), undefined);
});

test('KeyedHeap keeps order through updates and deletes', () => {
  const h = new KeyedHeap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
  for (const [k, v] of [['a', 5], ['b', 3], ['c', 8], ['d', 1]] as const) h.push({ k, v });
  h.push({ k: 'c', v: 0 });
  h.delete('d');
  assert.deepEqual([h.pop(), h.pop(), h.pop(), h.pop()].map((x) => x?.k), ['c', 'b', 'a', undefined]);
});

test('pods with scheduling gates wait untried until the last gate is removed', () => {
  const { q, clock } = newQueue();
  const gated = makePod('g', { spec: { schedulingGates: [{ name: 'a' }, { name: 'b' }] } });
  q.add(gated);
  assert.equal(q.where('default/g'), 'gated');
  assert.equal(q.pop(), undefined);
  q.moveAllToActiveOrBackoffQueue({ resource: '*', action: ActionType.Add });
  clock.advance(10 * 60_000);
  q.flushUnschedulablePodsLeftover();
  assert.equal(q.where('default/g'), 'gated');
  q.update(gated, makePod('g', { spec: { schedulingGates: [{ name: 'b' }] } }));
  assert.equal(q.where('default/g'), 'gated');
  q.update(gated, makePod('g'));
  assert.equal(q.pop()?.key, 'default/g');
});
