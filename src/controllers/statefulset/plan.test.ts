import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../client/types.js';
import { ordinalOf } from './identity.js';
import { planStatefulSet, revisionForNewPod } from './plan.js';
import type { StatefulSet } from './types.js';

const set = (spec: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'u', generation: 2 },
  spec: { replicas: 3, selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [] } }, ...spec },
});
const pod = (ordinal: number, rev: string, state: 'ready' | 'pending' | 'failed' | 'terminating' = 'ready'): Pod => ({
  metadata: { name: `web-${ordinal}`, labels: { 'controller-revision-hash': rev, 'statefulset.kubernetes.io/pod-name': `web-${ordinal}`, 'apps.kubernetes.io/pod-index': String(ordinal) }, ...(state === 'terminating' ? { deletionTimestamp: '2020-01-01T00:00:00Z' } : {}) },
  status: state === 'ready' || state === 'terminating' ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } : { phase: state === 'failed' ? 'Failed' : 'Pending' },
});
const plan = (s: StatefulSet, pods: Pod[], cur = 'r1', upd = 'r1') => planStatefulSet({ set: s, pods, current: { name: cur }, update: { name: upd }, nowMs: 0 });
const summary = (p: ReturnType<typeof plan>) => p.actions.map((a) => (a.type === 'create' ? `+${a.ordinal}` : a.type === 'identity' ? `~${a.pod.metadata.name}` : `-${a.pod.metadata.name}`));

describe('planStatefulSet', () => {
  it('OrderedReady creates the first missing ordinal only after its predecessors are ready', () => {
    assert.deepEqual(summary(plan(set(), [])), ['+0']);
    assert.deepEqual(summary(plan(set(), [pod(0, 'r1', 'pending')])), []);
    assert.deepEqual(summary(plan(set(), [pod(0, 'r1')])), ['+1']);
  });

  it('Parallel creates every missing ordinal at once', () => {
    assert.deepEqual(summary(plan(set({ podManagementPolicy: 'Parallel' }), [pod(1, 'r1', 'pending')])), ['+0', '+2']);
  });

  it('deletes failed pods so they are recreated', () => {
    assert.deepEqual(summary(plan(set(), [pod(0, 'r1', 'failed')])), ['-web-0']);
  });

  it('scales down from the highest ordinal, one at a time when ordered', () => {
    const pods = [0, 1, 2, 3, 4].map((o) => pod(o, 'r1'));
    assert.deepEqual(summary(plan(set(), pods)), ['-web-4']);
    assert.deepEqual(summary(plan(set({ podManagementPolicy: 'Parallel' }), pods)), ['-web-4', '-web-3']);
    // Waits while the deleted pod is terminating.
    assert.deepEqual(summary(plan(set(), [...pods.slice(0, 4), pod(4, 'r1', 'terminating')])), []);
  });

  it('rolling update deletes the highest out-of-date ordinal at or above the partition', () => {
    const pods = [0, 1, 2].map((o) => pod(o, 'r1'));
    assert.deepEqual(summary(plan(set(), pods, 'r1', 'r2')), ['-web-2']);
    const partitioned = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    assert.deepEqual(summary(plan(partitioned, [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r2')], 'r1', 'r2')), []);
    // An updated but unready pod blocks the rollout.
    assert.deepEqual(summary(plan(set(), [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r2', 'pending')], 'r1', 'r2')), []);
    assert.deepEqual(summary(plan(set({ updateStrategy: { type: 'OnDelete' } }), pods, 'r1', 'r2')), []);
  });

  it('reports status and completes a rollout once every pod is updated and ready', () => {
    const s = plan(set(), [pod(0, 'r1'), pod(1, 'r2'), pod(2, 'r2', 'pending')], 'r1', 'r2').status;
    assert.deepEqual([s.replicas, s.readyReplicas, s.currentReplicas, s.updatedReplicas, s.currentRevision, s.observedGeneration], [3, 2, 1, 2, 'r1', 2]);
    const done = plan(set(), [0, 1, 2].map((o) => pod(o, 'r2')), 'r1', 'r2').status;
    assert.equal(done.currentRevision, 'r2');
    assert.equal(done.currentReplicas, 3);
  });

  it('new pods below the partition get the current revision', () => {
    const s = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    assert.equal(revisionForNewPod(s, 1), 'current');
    assert.equal(revisionForNewPod(s, 2), 'update');
    assert.equal(revisionForNewPod(set({ updateStrategy: { type: 'OnDelete' } }), 0), 'update');
  });

  it('restores missing identity labels on healthy pods', () => {
    const bare = pod(0, 'r1');
    bare.metadata.labels = { 'controller-revision-hash': 'r1' };
    assert.deepEqual(summary(plan(set({ replicas: 1 }), [bare])), ['~web-0']);
  });

  it('parses ordinals strictly', () => {
    assert.equal(ordinalOf('web', 'web-12'), 12);
    assert.equal(ordinalOf('web', 'web-012'), -1);
    assert.equal(ordinalOf('web', 'webx-1'), -1);
  });
});
