import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodInfo } from '../cache/pod-info.js';
import { CycleState } from '../framework/cycle-state.js';
import { scheduleOne } from '../scheduler.js';
import { defaultFramework, makeCache, makeNode, makePod } from '../testing/fixtures.js';
import { DefaultPreemptionPlugin, pickOneNode, type Candidate } from './default-preemption.js';

const names = (pods: { metadata: { name?: string } }[] | undefined) => (pods ?? []).map((p) => p.metadata.name);

test('victims: lowest priority first, higher ones reprieved when the pod still fits', () => {
  const cache = makeCache(
    [makeNode('n', { cpu: '4' })],
    [
      makePod('p1', { node: 'n', cpu: '1', priority: 1 }),
      makePod('p2', { node: 'n', cpu: '1', priority: 2 }),
      makePod('p3', { node: 'n', cpu: '1', priority: 3 }),
      makePod('keeper', { node: 'n', cpu: '1', priority: 100 }),
    ],
  );
  const fw = defaultFramework();
  fw.setSnapshot(cache);
  const pod = new PodInfo(makePod('hi', { cpu: '2', priority: 50 }));
  const state = new CycleState();
  fw.runPreFilterPlugins(state, pod, cache.list());
  const plugin = fw.plugins.get('DefaultPreemption') as DefaultPreemptionPlugin;
  const r = plugin.selectVictimsOnNode(state, pod, cache.get('n')!.clone());
  assert.ok(r.status.isSuccess());
  assert.deepEqual(r.victims.map((v) => v.pod.metadata.name), ['p2', 'p1']);
  // The snapshot itself is untouched.
  assert.equal(cache.get('n')!.pods.length, 4);
});

function cand(node: string, victims: [number, string?][]): Candidate {
  return {
    nodeName: node,
    victims: victims.map(([priority, startTime], i) => new PodInfo(makePod(`${node}-${i}`, { priority, ...(startTime ? { startTime } : {}) }))),
  };
}

test('pickOneNode: lowest top victim priority, then priority sum, then count, then latest start', () => {
  assert.equal(pickOneNode([cand('n1', [[5]]), cand('n2', [[3], [3]]), cand('n3', [[3]])])?.nodeName, 'n3');
  assert.equal(pickOneNode([cand('n1', [[3], [1]]), cand('n2', [[3], [2]])])?.nodeName, 'n1');
  assert.equal(
    pickOneNode([cand('old', [[3, '2024-01-01T00:00:00Z']]), cand('new', [[3, '2024-06-01T00:00:00Z']])])?.nodeName,
    'new',
  );
  assert.equal(pickOneNode([]), undefined);
});

test('failed preemption reports per-node reasons in the FailedScheduling message', () => {
  const cache = makeCache(
    [makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '1' })],
    [makePod('vip', { node: 'n1', cpu: '1', priority: 100 }), makePod('low', { node: 'n2', cpu: '500m', priority: 1 })],
  );
  const out = scheduleOne(makePod('p', { cpu: '2', priority: 10 }), cache, defaultFramework());
  assert.equal(
    out.status === 'Unschedulable' && out.message,
    '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod.',
  );
});

test('preempting a pod lifts the anti-affinity it caused (PreFilter extensions)', () => {
  const anti = {
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
      },
    },
  };
  const cache = makeCache(
    [makeNode('n1'), makeNode('n2')],
    [makePod('low-web', { node: 'n1', labels: { app: 'web' }, priority: 1 }), makePod('vip-web', { node: 'n2', labels: { app: 'web' }, priority: 1000 })],
  );
  const out = scheduleOne(makePod('p', { priority: 10, labels: { app: 'web' }, spec: anti }), cache, defaultFramework());
  assert.equal(out.status, 'Unschedulable');
  assert.equal(out.status === 'Unschedulable' && out.nominatedNodeName, 'n1');
  assert.deepEqual(out.status === 'Unschedulable' && names(out.victims), ['low-web']);
});

test('pods with preemptionPolicy Never do not preempt', () => {
  const cache = makeCache([makeNode('n', { cpu: '1' })], [makePod('low', { node: 'n', cpu: '1', priority: 0 })]);
  const out = scheduleOne(makePod('p', { cpu: '1', priority: 10, spec: { preemptionPolicy: 'Never' } }), cache, defaultFramework());
  assert.equal(out.status === 'Unschedulable' && out.nominatedNodeName, undefined);
  assert.match(out.status === 'Unschedulable' ? out.message : '', /preemption: not eligible due to preemptionPolicy=Never\.$/);
});
