import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, setNewReplicaSetAnnotations } from './annotations.js';
import { calculateStatus, deploymentTimedOut, setCondition } from './conditions.js';
import { computeTemplateHash } from './hash.js';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './intstr.js';
import { newRSNewReplicas, planCleanupUnhealthy, planProportionalScale, planScaleDownOld } from './plan.js';
import { equalIgnoreHash, findActiveOrLatest, findNewReplicaSet } from './replicasets.js';
import type { DeploymentObject, ReplicaSetObject } from './types.js';

const tmpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
function dep(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<DeploymentObject> = {}): DeploymentObject {
  return { metadata: { name: 'web', generation: 1 }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: tmpl('a'), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }, ...extra };
}
function rs(name: string, replicas: number, available = replicas, createdSec = 0, annotations: Record<string, string> = {}): ReplicaSetObject {
  return {
    metadata: { name, uid: name, creationTimestamp: new Date(createdSec * 1000).toISOString(), annotations },
    spec: { replicas, selector: {}, template: tmpl(name) },
    status: { replicas, availableReplicas: available },
  };
}

describe('maxSurge / maxUnavailable', () => {
  it('rounds surge up and unavailable down', () => {
    assert.equal(scaledValue('25%', 10, true), 3);
    assert.equal(scaledValue('25%', 10, false), 2);
    assert.equal(scaledValue(4, 10, false), 4);
    assert.throws(() => scaledValue('5', 10, true));
    assert.deepEqual(resolveFenceposts('25%', '25%', 3), { surge: 1, unavailable: 0 });
    // Both zero would never progress: one may be unavailable.
    assert.deepEqual(resolveFenceposts(0, 0, 3), { surge: 0, unavailable: 1 });
  });
  it('caps unavailable at the replicas, and Recreate has neither', () => {
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
    assert.equal(maxSurge(dep(10)), 3);
    const recreate = dep(10);
    recreate.spec.strategy = { type: 'Recreate' };
    assert.equal(maxSurge(recreate), 0);
    assert.equal(maxUnavailable(recreate), 0);
  });
});

describe('pod-template-hash', () => {
  it('is FNV-1a 32 in the safe alphabet, stable across key order and nulls', () => {
    const a = computeTemplateHash({ metadata: { labels: { x: '1' }, creationTimestamp: null }, spec: { b: 1, a: 2 } });
    const b = computeTemplateHash({ spec: { a: 2, b: 1 }, metadata: { labels: { x: '1' } } });
    assert.equal(a, b);
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.notEqual(computeTemplateHash(tmpl('a')), computeTemplateHash(tmpl('b')));
    assert.notEqual(computeTemplateHash(tmpl('a'), 1), computeTemplateHash(tmpl('a')));
  });
});

describe('ReplicaSet selection', () => {
  it('finds the oldest ReplicaSet whose template matches ignoring the hash label', () => {
    const d = dep(3);
    const older = rs('old', 1, 1, 1);
    older.spec.template = { metadata: { labels: { app: 'web', 'pod-template-hash': 'h1' } }, spec: tmpl('a').spec };
    const newer = rs('new', 1, 1, 2);
    newer.spec.template = older.spec.template;
    assert.equal(findNewReplicaSet(d, [newer, older, rs('other', 1)])?.metadata.name, 'old');
    assert.ok(equalIgnoreHash(d.spec.template, older.spec.template));
    assert.equal(findNewReplicaSet(d, [rs('other', 1)]), undefined);
  });
  it('finds the single active or the latest ReplicaSet', () => {
    assert.equal(findActiveOrLatest(rs('n', 0, 0, 3), [rs('a', 0, 0, 1), rs('b', 2, 2, 2)])?.metadata.name, 'b');
    assert.equal(findActiveOrLatest(undefined, [rs('a', 0, 0, 1), rs('b', 0, 0, 2)])?.metadata.name, 'b');
    assert.equal(findActiveOrLatest(rs('n', 1), [rs('a', 1)]), undefined);
  });
});

describe('rolling update plans', () => {
  it('scales the new ReplicaSet up to the surge', () => {
    const d = dep(10); // surge 3
    const newRS = rs('new', 0, 0);
    assert.equal(newRSNewReplicas(d, [rs('old', 10), newRS], newRS), 3);
    assert.equal(newRSNewReplicas(d, [rs('old', 13), newRS], newRS), 0);
    const almost = rs('new', 9, 9);
    assert.equal(newRSNewReplicas(d, [rs('old', 1), almost], almost), 10);
  });
  it('removes unhealthy old replicas first, then available ones down to minAvailable', () => {
    const old1 = rs('o1', 4, 2, 1);
    const old2 = rs('o2', 6, 6, 2);
    assert.deepEqual(planCleanupUnhealthy([old2, old1], 5).map((s) => [s.rs.metadata.name, s.to]), [['o1', 2]]);
    // 10 replicas, unavailable 2: minAvailable 8; 2+6+3 = 11 available => 3 may go, from the oldest first.
    const d = dep(10);
    const newRS = rs('new', 3, 3, 3);
    assert.deepEqual(planScaleDownOld(d, [old1, old2, newRS], [old2, old1]).map((s) => [s.rs.metadata.name, s.to]), [['o1', 1]]);
    const small = rs('o1', 2, 2, 1);
    assert.deepEqual(planScaleDownOld(d, [small, old2, newRS], [old2, small]).map((s) => [s.rs.metadata.name, s.to]), [['o1', 0], ['o2', 5]]);
  });
  it('spreads a resize proportionally during a rollout, leftovers to the largest', () => {
    // Scaled from 10 (max 13) to 20 (surge 5, allowed 25) mid-rollout: 8 old + 5 new.
    const d = dep(20);
    d.status = { replicas: 13 };
    const old = rs('old', 8, 8, 1, { 'deployment.kubernetes.io/max-replicas': '13' });
    const newRS = rs('new', 5, 5, 2, { 'deployment.kubernetes.io/max-replicas': '13' });
    const { steps, operation } = planProportionalScale(d, newRS, [old]);
    assert.equal(operation, 'up');
    assert.deepEqual(steps.map((s) => [s.rs.metadata.name, s.to]), [['old', 15], ['new', 10]]);
    assert.equal(steps.reduce((n, s) => n + s.to, 0), 25);
  });
});

describe('revision annotations', () => {
  it('moves the old revision into revision-history and copies the Deployment annotations', () => {
    const d = dep(3);
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'why', [REVISION_ANNOTATION]: '9', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
    const r = rs('r', 3, 3, 0, { [REVISION_ANNOTATION]: '1' });
    assert.ok(setNewReplicaSetAnnotations(d, r, 3, true, 1));
    assert.deepEqual(r.metadata.annotations, { [REVISION_ANNOTATION]: '3', [REVISION_HISTORY_ANNOTATION]: '1', 'kubernetes.io/change-cause': 'why' });
    assert.ok(setNewReplicaSetAnnotations(d, r, 5, true, 1));
    assert.equal(r.metadata.annotations![REVISION_HISTORY_ANNOTATION], '1,3');
    assert.ok(!setNewReplicaSetAnnotations(d, r, 5, true, 1));
    const fresh = rs('f', 0);
    setNewReplicaSetAnnotations(d, fresh, 1, false, 1);
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
  });
});

describe('status and conditions', () => {
  const NOW = Date.parse('2026-01-01T00:00:00Z');
  it('sums the ReplicaSets and sets Available', () => {
    const d = dep(4, 1, 1);
    const s = calculateStatus([rs('a', 2, 2), rs('b', 2, 1)], rs('b', 2, 1), d, NOW);
    assert.equal(s.replicas, 4);
    assert.equal(s.updatedReplicas, 2);
    assert.equal(s.availableReplicas, 3);
    assert.equal(s.unavailableReplicas, 1);
    assert.equal(s.conditions?.[0]?.reason, 'MinimumReplicasAvailable');
    const bad = calculateStatus([rs('a', 4, 1)], undefined, d, NOW);
    assert.equal(bad.conditions?.[0]?.reason, 'MinimumReplicasUnavailable');
    assert.equal(bad.conditions?.[0]?.message, 'Deployment does not have minimum availability.');
  });
  it('keeps the transition time when only the reason changes, and times out after the deadline', () => {
    const st = { conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2025-12-31T00:00:00Z' }] };
    setCondition(st, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: 'later', lastTransitionTime: 'later' });
    assert.equal(st.conditions[0]!.lastTransitionTime, '2025-12-31T00:00:00Z');
    const d = dep(1);
    d.spec.progressDeadlineSeconds = 60;
    const progressing = { conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2026-01-01T00:00:00Z' }] };
    assert.ok(!deploymentTimedOut(d, progressing, NOW + 59_000));
    assert.ok(deploymentTimedOut(d, progressing, NOW + 61_000));
  });
});
