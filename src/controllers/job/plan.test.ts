import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../client/types.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { defaultJobBackoff, planJob } from './plan.js';
import type { BatchJob } from './types.js';

const NOW = Date.parse('2024-01-01T00:00:00Z');
const job = (spec: Partial<BatchJob['spec']> = {}, status: BatchJob['status'] = {}): BatchJob => ({
  metadata: { name: 'j', namespace: 'ns', uid: 'ju' },
  spec: { template: { spec: { containers: [] } }, completions: 3, parallelism: 2, backoffLimit: 6, ...spec },
  status,
});
let n = 0;
const pod = (phase: string, extra: Partial<Pod['metadata']> = {}, exitCode?: number): Pod => ({
  metadata: { name: `p${n}`, uid: `u${n++}`, namespace: 'ns', finalizers: ['batch.kubernetes.io/job-tracking'], ...extra },
  status: { phase, ...(exitCode !== undefined ? { containerStatuses: [{ name: 'main', state: { terminated: { exitCode } } }] } : {}) },
});

describe('completion indexes', () => {
  it('round-trips the compressed form', () => {
    assert.equal(formatIndexes([5, 1, 2, 3, 7, 8]), '1-3,5,7,8');
    assert.deepEqual([...parseIndexes('1-3,5,9', 6)].sort(), [1, 2, 3, 5]);
    assert.equal(formatIndexes([]), '');
  });
});

describe('podFailurePolicy', () => {
  const rules = [
    { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob' as const, onExitCodes: { operator: 'NotIn' as const, values: [1, 2] } },
  ];
  it('matches conditions and exit codes in rule order, never exit code 0', () => {
    const disrupted: Pod = { metadata: { name: 'a', namespace: 'ns' }, status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] } };
    assert.equal(matchPodFailurePolicy(rules, disrupted)?.action, 'Ignore');
    assert.equal(matchPodFailurePolicy(rules, pod('Failed', {}, 3))?.action, 'FailJob');
    assert.equal(matchPodFailurePolicy(rules, pod('Failed', {}, 2)), undefined);
    assert.equal(matchPodFailurePolicy(rules, pod('Failed', {}, 0)), undefined);
  });
});

describe('planJob', () => {
  it('creates min(parallelism, remaining) pods and sets startTime', () => {
    const p = planJob({ job: job({}, { succeeded: 2 }), pods: [], nowMs: NOW });
    assert.equal(p.create.length, 1);
    assert.equal(p.status.startTime, new Date(NOW).toISOString().replace('.000Z', 'Z'));
  });

  it('records finished pods as uncounted first, then counts them once their finalizer is gone', () => {
    const done = pod('Succeeded');
    const first = planJob({ job: job(), pods: [done], nowMs: NOW });
    assert.deepEqual(first.status.uncountedTerminatedPods, { succeeded: [done.metadata.uid], failed: [] });
    assert.deepEqual(first.removeFinalizers, [done]);
    assert.equal(first.status.succeeded, 0);
    const released = { ...done, metadata: { ...done.metadata, finalizers: [] } };
    const second = planJob({ job: job({}, first.status), pods: [released], nowMs: NOW });
    assert.equal(second.status.succeeded, 1);
    assert.deepEqual(second.status.uncountedTerminatedPods, { succeeded: [], failed: [] });
  });

  it('adds SuccessCriteriaMet, and Complete only once everything is counted', () => {
    const s1 = planJob({ job: job({ completions: 1 }), pods: [pod('Succeeded')], nowMs: NOW }).status;
    assert.equal(s1.conditions?.map((c) => c.type).join(), 'SuccessCriteriaMet');
    const s2 = planJob({ job: job({ completions: 1 }, s1), pods: [], nowMs: NOW }).status;
    assert.equal(s2.conditions?.map((c) => c.type).join(), 'SuccessCriteriaMet,Complete');
    assert.equal(s2.completionTime, new Date(NOW).toISOString().replace('.000Z', 'Z'));
  });

  it('deletes active pods once the job fails, counting them as failed when they terminate', () => {
    const running = pod('Running');
    const p = planJob({ job: job({ backoffLimit: 0 }, { failed: 1 }), pods: [running], nowMs: NOW });
    assert.equal(p.status.conditions?.[0]?.reason, 'BackoffLimitExceeded');
    assert.deepEqual(p.remove, [running]);
    const terminating = { ...running, metadata: { ...running.metadata, deletionTimestamp: new Date(NOW).toISOString().replace('.000Z', 'Z') } };
    const q = planJob({ job: job({ backoffLimit: 0 }, p.status), pods: [terminating], nowMs: NOW });
    assert.deepEqual(q.status.uncountedTerminatedPods?.failed, [running.metadata.uid]);
  });

  it('podReplacementPolicy Failed: a terminating pod is not a failure and keeps its slot', () => {
    const t = pod('Running', { deletionTimestamp: '2024-01-01T00:00:00Z' });
    const strict = planJob({ job: job({ completions: 1, parallelism: 1, podReplacementPolicy: 'Failed' }), pods: [t], nowMs: NOW });
    assert.deepEqual([strict.create.length, strict.status.failed, strict.status.terminating, strict.removeFinalizers.length], [0, 0, 1, 0]);
    const loose = planJob({ job: job({ completions: 1, parallelism: 1 }), pods: [t], nowMs: NOW, backoff: () => 0 });
    assert.deepEqual([loose.create.length, loose.status.uncountedTerminatedPods?.failed?.length], [1, 1]);
  });

  it('waits out the failure backoff before replacing failed pods', () => {
    const p = planJob({ job: job({ completions: 1, parallelism: 1 }), pods: [pod('Failed')], nowMs: NOW });
    assert.equal(p.create.length, 0);
    assert.equal(p.requeueAfterMs, 10_000);
    assert.equal(defaultJobBackoff(3), 40_000);
    assert.equal(defaultJobBackoff(30), 360_000);
  });

  it('requeues for the active deadline and fails when it passes', () => {
    const start = new Date(NOW - 5_000).toISOString();
    assert.equal(planJob({ job: job({ activeDeadlineSeconds: 10 }, { startTime: start }), pods: [pod('Running'), pod('Running')], nowMs: NOW }).requeueAfterMs, 5_000);
    const late = planJob({ job: job({ activeDeadlineSeconds: 5 }, { startTime: start }), pods: [], nowMs: NOW });
    assert.equal(late.status.conditions?.[0]?.reason, 'DeadlineExceeded');
    assert.equal(late.create.length, 0);
  });

  it('suspending deletes active pods and sets Suspended', () => {
    const p = planJob({ job: job({ suspend: true }), pods: [pod('Running')], nowMs: NOW });
    assert.equal(p.remove.length, 1);
    assert.equal(p.status.conditions?.[0]?.type, 'Suspended');
  });

  it('Indexed mode creates the lowest missing indexes and drops duplicates', () => {
    const a = pod('Running', { annotations: { 'batch.kubernetes.io/job-completion-index': '0' }, creationTimestamp: '2024-01-01T00:00:00Z' });
    const dup = pod('Running', { annotations: { 'batch.kubernetes.io/job-completion-index': '0' }, creationTimestamp: '2024-01-01T00:00:01Z' });
    const p = planJob({ job: job({ completionMode: 'Indexed', parallelism: 3 }, { completedIndexes: '1' }), pods: [a, dup], nowMs: NOW });
    assert.deepEqual(p.remove, [dup]);
    assert.deepEqual(p.create, [2]);
  });
});
