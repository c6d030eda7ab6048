import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchJob } from '../job/types.js';
import { formatRFC3339InZone } from './job-template.js';
import { jobNameFor, planCronJob } from './plan.js';
import type { CronJob } from './types.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const cron = (spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}): CronJob => ({
  metadata: { name: 'cj', namespace: 'ns', uid: 'cu', creationTimestamp: new Date(T0).toISOString() },
  spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: {} } }, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1, ...spec },
  status,
});
const job = (name: string, state: 'running' | 'Complete' | 'Failed', start = '2024-01-01T00:00:00Z'): BatchJob => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}` },
  spec: { template: {} },
  status: { startTime: start, ...(state === 'running' ? {} : { conditions: [{ type: state, status: 'True', lastTransitionTime: start }], ...(state === 'Complete' ? { completionTime: start } : {}) }) },
});

describe('planCronJob', () => {
  it('starts a job named after the scheduled minute and requeues for the next one', () => {
    const p = planCronJob(cron(), [], T0 + 6 * 60_000);
    assert.deepEqual(p.start, { name: `cj-${(T0 + 5 * 60_000) / 60_000}`, scheduledMs: T0 + 5 * 60_000, timeZone: 'UTC' });
    assert.equal(p.requeueAfterMs, 4 * 60_000 + 100);
    assert.equal(jobNameFor('cj', T0 + 59_999), `cj-${T0 / 60_000}`);
  });

  it('does nothing while suspended, or when the job for that time exists', () => {
    assert.equal(planCronJob(cron({ suspend: true }), [], T0 + 6 * 60_000).start, undefined);
    assert.equal(planCronJob(cron(), [job(`cj-${(T0 + 5 * 60_000) / 60_000}`, 'running')], T0 + 6 * 60_000).start, undefined);
  });

  it('Forbid skips while a job is active; Replace deletes the active ones; Allow runs both', () => {
    const running = job('old', 'running');
    const now = T0 + 6 * 60_000;
    const forbid = planCronJob(cron({ concurrencyPolicy: 'Forbid' }), [running], now);
    assert.equal(forbid.start, undefined);
    assert.equal(forbid.events[0]?.reason, 'JobAlreadyActive');
    const replace = planCronJob(cron({ concurrencyPolicy: 'Replace' }), [running], now);
    assert.deepEqual(replace.replace, [running]);
    assert.ok(replace.start);
    const allow = planCronJob(cron(), [running], now);
    assert.deepEqual([allow.replace.length, allow.status.active?.length, !!allow.start], [0, 1, true]);
  });

  it('misses a schedule past startingDeadlineSeconds', () => {
    const p = planCronJob(cron({ startingDeadlineSeconds: 30 }), [], T0 + 6 * 60_000);
    assert.equal(p.start, undefined);
    const late = planCronJob(cron({ startingDeadlineSeconds: 30, schedule: '*/5 * * * *' }, { lastScheduleTime: '2024-01-01T00:00:00Z' }), [], T0 + 5 * 60_000 + 40_000);
    assert.equal(late.start, undefined);
  });

  it('warns about too many missed start times and starts the latest', () => {
    const p = planCronJob(cron({ schedule: '* * * * *' }), [], T0 + 1000 * 60_000 + 5);
    assert.equal(p.events.find((e) => e.reason === 'TooManyMissedTimes')?.type, 'Warning');
    assert.equal(p.start?.scheduledMs, T0 + 1000 * 60_000);
  });

  it('tracks active jobs and lastSuccessfulTime, and prunes history beyond the limits', () => {
    const jobs = [job('a', 'Complete', '2024-01-01T00:01:00Z'), job('b', 'Complete', '2024-01-01T00:02:00Z'), job('c', 'Failed', '2024-01-01T00:03:00Z'), job('d', 'Failed', '2024-01-01T00:04:00Z'), job('e', 'running')];
    const p = planCronJob(cron({ suspend: true }, { active: [{ uid: 'u-a', name: 'a' }] }), jobs, T0);
    assert.deepEqual(p.status.active?.map((r) => r.name), ['e']);
    assert.equal(p.status.lastSuccessfulTime, '2024-01-01T00:02:00Z');
    assert.deepEqual(p.prune.map((j) => j.metadata.name), ['a', 'c']);
    assert.equal(p.events[0]?.reason, 'SawCompletedJob');
  });

  it('reports an unparseable schedule', () => {
    assert.equal(planCronJob(cron({ schedule: 'nope' }), [], T0).events[0]?.reason, 'UnparseableSchedule');
  });

  it('formats the scheduled timestamp in the zone', () => {
    assert.equal(formatRFC3339InZone(T0, 'UTC'), '2024-01-01T00:00:00Z');
    assert.equal(formatRFC3339InZone(T0, 'Asia/Kolkata'), '2024-01-01T05:30:00+05:30');
    assert.equal(formatRFC3339InZone(T0, 'America/New_York'), '2023-12-31T19:00:00-05:00');
  });
});
