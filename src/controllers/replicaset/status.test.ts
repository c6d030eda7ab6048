import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, ReplicaSet } from '../../client/types.js';
import { calculateReplicaSetStatus, replicaSetStatusEqual } from './status.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const rs: ReplicaSet = {
  metadata: { name: 'web', generation: 4 },
  spec: { replicas: 3, minReadySeconds: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
  status: { replicas: 0 },
};
const pod = (labels: Record<string, string>, readySecondsAgo?: number): Pod => ({
  metadata: { name: 'p', labels },
  status: readySecondsAgo === undefined ? {} : { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - readySecondsAgo * 1000).toISOString() }] },
});

describe('calculateReplicaSetStatus', () => {
  it('counts replicas, fully labeled, ready and available (minReadySeconds)', () => {
    const s = calculateReplicaSetStatus(rs, [pod({ app: 'web', tier: 'fe' }, 60), pod({ app: 'web' }, 5), pod({ app: 'web', tier: 'fe' })], undefined, 0, NOW);
    assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
  });
  it('without minReadySeconds every ready pod is available', () => {
    const noMin: ReplicaSet = { ...rs, spec: { ...rs.spec!, minReadySeconds: 0 } };
    const s = calculateReplicaSetStatus(noMin, [pod({ app: 'web', tier: 'fe' }, 0), pod({ app: 'web' }, 5), pod({ app: 'web' })], undefined, 0, NOW);
    assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 2, observedGeneration: 4 });
  });
  it('sets ReplicaFailure on a failed create and clears it after a clean sync', () => {
    const failed = calculateReplicaSetStatus(rs, [], new Error('pods "web-x" is forbidden: exceeded quota'), -3, NOW);
    assert.equal(failed.conditions?.length, 1);
    assert.deepEqual({ ...failed.conditions![0], lastTransitionTime: undefined }, {
      type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota', lastTransitionTime: undefined,
    });
    assert.equal(calculateReplicaSetStatus(rs, [], new Error('x'), 2, NOW).conditions?.[0]?.reason, 'FailedDelete');
    const withCond: ReplicaSet = { ...rs, status: { replicas: 0, conditions: failed.conditions } };
    assert.equal(calculateReplicaSetStatus(withCond, [], undefined, 0, NOW).conditions, undefined);
  });
  it('compares stored and computed status ignoring omitted zeros', () => {
    assert.ok(replicaSetStatusEqual({ replicas: 0, readyReplicas: 0, observedGeneration: 4 }, { replicas: 0, observedGeneration: 4 }));
    assert.ok(!replicaSetStatusEqual({ replicas: 1 }, { replicas: 1, observedGeneration: 4 }));
    assert.ok(!replicaSetStatusEqual(undefined, { replicas: 0 }));
  });
});
