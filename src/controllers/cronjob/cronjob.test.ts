import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { FakeClock } from '../../util/clock.js';
import type { BatchJob } from '../job/types.js';
import { cronJobController } from './index.js';
import type { CronJob } from './types.js';

let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void>;
const clock = new FakeClock(Date.now());
const NS = 'default';

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  running = cronJobController({ ...cp.controllerContext(), clock }).run(stop.signal);
});
after(async () => {
  stop.abort();
  await running;
  await cp.stop();
});

function cronJob(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: NS },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { metadata: { labels: { from: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

const jobsOf = async (name: string) => ((await cp.client.jobs.list(NS, { labelSelector: `from=${name}` })).items as BatchJob[]).filter((j) => !j.metadata.deletionTimestamp);
const getCron = async (name: string) => (await cp.client.cronjobs.get(NS, name)) as CronJob;
async function finishJob(j: BatchJob, type: 'Complete' | 'Failed'): Promise<void> {
  const now = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fresh = await cp.client.jobs.get(NS, j.metadata.name ?? '');
  const conditions = type === 'Complete'
    ? [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: now }, { type: 'Complete', status: 'True', lastTransitionTime: now }]
    : [{ type: 'FailureTarget', status: 'True', lastTransitionTime: now }, { type: 'Failed', status: 'True', lastTransitionTime: now }];
  await cp.client.jobs.updateStatus({ ...fresh, status: { startTime: now, ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }), conditions } });
}

/**
 * waitFor, with the fake clock moving 25 ms per poll. The controller's retry
 * back-offs (5 ms doubling, after a status write that lost a conflict) run on
 * that same clock, so without it a retry never fires, and with 2 and 10 ms a
 * run of failures outlasted the wait on a slow host. The clock stops a second
 * short of the next minute, the next activation: 2,400 quick polls on a slow
 * host once carried a wait into it.
 */
function waitTicking<T>(fn: () => Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  // Never into the next minute's schedule: a slow controller, waited for long enough, would
  // otherwise see the next activation too (seen: Replace replacing the job the test waited for).
  const stop = (Math.floor(clock.now() / 60_000) + 1) * 60_000 - 1_000;
  return waitFor(() => {
    if (clock.now() + 25 <= stop) clock.advance(25);
    return fn();
  }, timeoutMs, what);
}

/**
 * Moves the fake clock just past the first minute boundary after the CronJob's
 * creation (server time, which kept running while the test waited) or the fake
 * clock's own time, whichever is later: the controller's first activation.
 */
async function advanceToFirstActivation(name: string): Promise<void> {
  const created = Date.parse((await getCron(name)).metadata.creationTimestamp ?? '');
  const next = (Math.floor(Math.max(clock.now(), created) / 60_000) + 1) * 60_000 + 1_000;
  clock.advance(next - clock.now());
}

describe('CronJob controller', () => {
  it('starts a job each minute, tracks it, and keeps the history limit', async () => {
    await cp.client.cronjobs.create(NS, cronJob('tick', { successfulJobsHistoryLimit: 1 }));
    await waitFor(async () => (await getCron('tick')).metadata.uid, 5_000, 'created');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await jobsOf('tick')).length, 0);
    await advanceToFirstActivation('tick');
    const [first] = await waitTicking(async () => {
      const js = await jobsOf('tick');
      return js.length === 1 ? js : undefined;
    }, 10_000, 'first job');
    const minute = Math.floor(Date.parse(first!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '') / 60_000);
    assert.equal(first!.metadata.name, `tick-${minute}`);
    assert.equal(first!.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    const cj = await waitTicking(async () => {
      const c = await getCron('tick');
      return c.status?.active?.length === 1 ? c : undefined;
    }, 10_000, 'active');
    assert.equal(cj.status?.active?.[0]?.name, first!.metadata.name);
    assert.equal(Date.parse(cj.status?.lastScheduleTime ?? ''), minute * 60_000);

    await finishJob(first!, 'Complete');
    await waitTicking(async () => {
      const c = await getCron('tick');
      return !c.status?.active && c.status?.lastSuccessfulTime;
    }, 10_000, 'completed job leaves active');

    clock.advance(60_000);
    const second = await waitTicking(async () => (await jobsOf('tick')).find((j) => j.metadata.name === `tick-${minute + 1}`), 10_000, 'second job');
    await finishJob(second, 'Complete');
    // History limit 1: the first job is deleted once the second finished.
    await waitTicking(async () => (await jobsOf('tick')).map((j) => j.metadata.name).join() === second.metadata.name, 10_000, 'history pruned');
  });

  it('Forbid does not start a job while one runs, and starts it once that one finishes', async () => {
    await cp.client.cronjobs.create(NS, cronJob('solo', { concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 3600 }));
    await waitFor(async () => (await getCron('solo')).metadata.uid, 5_000, 'created');
    await advanceToFirstActivation('solo');
    const [first] = await waitTicking(async () => {
      const js = await jobsOf('solo');
      return js.length === 1 ? js : undefined;
    }, 10_000, 'first job');
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await jobsOf('solo')).length, 1);
    await finishJob(first!, 'Failed');
    await waitTicking(async () => (await jobsOf('solo')).length === 2, 10_000, 'delayed job started');
  });

  it('Replace deletes the running job and starts a new one', async () => {
    await cp.client.cronjobs.create(NS, cronJob('swap', { concurrencyPolicy: 'Replace' }));
    await waitFor(async () => (await getCron('swap')).metadata.uid, 5_000, 'created');
    await advanceToFirstActivation('swap');
    const [first] = await waitTicking(async () => {
      const js = await jobsOf('swap');
      return js.length === 1 ? js : undefined;
    }, 10_000, 'first job');
    // The next activation (the clock then stays within its minute: see waitTicking). The first
    // job may itself have replaced a catch-up job made at creation, when the fake clock was
    // already minutes past the CronJob's creationTimestamp; so the check is by schedule time.
    clock.advance(60_000);
    const newest = `swap-${Math.floor(clock.now() / 60_000)}`;
    let seen = '';
    const cj = await waitTicking(async () => {
      const c = await getCron('swap');
      const jobs = await jobsOf('swap');
      seen = `active ${JSON.stringify(c.status?.active?.map((r) => r.name))}, jobs ${JSON.stringify(jobs.map((j) => j.metadata.name))}, fake now ${new Date(clock.now()).toISOString()}`;
      const only = jobs.length === 1 && jobs[0]!.metadata.name === newest ? jobs[0]! : undefined;
      return only && c.status?.active?.length === 1 && c.status.active[0]!.uid === only.metadata.uid ? c : undefined;
    }, 10_000, `${newest} alone, and active`).catch((err: Error) => {
      throw new Error(`${err.message}; first ${first!.metadata.name}; ${seen}`);
    });
    assert.notEqual(cj.status!.active![0]!.uid, first!.metadata.uid, 'the first job was replaced');
    await waitTicking(async () => {
      try {
        await cp.client.jobs.get(NS, first!.metadata.name!);
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    }, 10_000, `${first!.metadata.name} deleted`);
  });
});
