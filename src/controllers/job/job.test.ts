import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { Pod } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { FakeClock } from '../../util/clock.js';
import { ttlAfterFinishedController } from '../ttlafterfinished/index.js';
import { newJobController } from './index.js';
import type { BatchJob } from './types.js';

let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void>[] = [];
const clock = new FakeClock(Date.now());
const NS = 'default';

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  const ctx = { ...cp.controllerContext(), clock };
  running = [newJobController({ backoff: () => 0 })(ctx).run(stop.signal), ttlAfterFinishedController(ctx).run(stop.signal)];
});
after(async () => {
  stop.abort();
  await Promise.all(running);
  await cp.stop();
});

function job(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
  };
}

const getJob = async (name: string) => (await cp.client.jobs.get(NS, name)) as BatchJob;
async function activePods(name: string): Promise<Pod[]> {
  const { items } = await cp.client.pods.list(NS, { labelSelector: `batch.kubernetes.io/job-name=${name}` });
  return items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}
async function finish(pod: Pod, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Succeeded' ? 0 : 1): Promise<void> {
  const fresh = await cp.client.pods.get(NS, pod.metadata.name ?? '');
  await cp.client.pods.updateStatus({ ...fresh, status: { phase, containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode } } }] } } as Pod);
}
const condition = (j: BatchJob, type: string) => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');
const waitCondition = (name: string, type: string) => waitFor(async () => {
  const j = await getJob(name);
  return condition(j, type) ? j : undefined;
}, 10_000, `${name} ${type}`);

describe('Job controller', () => {
  it('runs completions with bounded parallelism and completes', async () => {
    await cp.client.jobs.create(NS, job('pi', { completions: 3, parallelism: 2 }));
    const first = await waitFor(async () => ((await activePods('pi')).length === 2 ? activePods('pi') : undefined), 10_000, 'two pods');
    const p = first[0]!;
    assert.match(p.metadata.name ?? '', /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal(p.metadata.labels?.['job-name'], 'pi');
    const j0 = await getJob('pi');
    assert.equal(p.metadata.labels?.['batch.kubernetes.io/controller-uid'], j0.metadata.uid);
    assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'Job');
    await waitFor(async () => (await getJob('pi')).status?.active === 2, 10_000, 'status active 2');
    assert.ok((await getJob('pi')).status?.startTime);

    await finish(first[0]!, 'Succeeded');
    await finish(first[1]!, 'Succeeded');
    // Only one more pod: completions - succeeded.
    const last = await waitFor(async () => {
      const j = await getJob('pi');
      const pods = await activePods('pi');
      return j.status?.succeeded === 2 && pods.length === 1 ? pods : undefined;
    }, 10_000, 'third pod');
    const released = await cp.client.pods.get(NS, first[0]!.metadata.name ?? '');
    assert.equal(released.metadata.finalizers, undefined);
    await finish(last[0]!, 'Succeeded');
    const done = await waitCondition('pi', 'Complete');
    assert.equal(done.status?.succeeded, 3);
    assert.equal(done.status?.active, 0);
    assert.ok(condition(done, 'SuccessCriteriaMet'));
    assert.equal(condition(done, 'Complete')?.reason, 'CompletionsReached');
    assert.ok(done.status?.completionTime);
    assert.deepEqual(done.status?.uncountedTerminatedPods, { succeeded: [], failed: [] });
  });

  it('fails with BackoffLimitExceeded after too many pod failures', async () => {
    await cp.client.jobs.create(NS, job('flaky', { backoffLimit: 1 }));
    for (let i = 0; i < 2; i++) {
      const [pod] = await waitFor(async () => {
        const pods = await activePods('flaky');
        return pods.length === 1 ? pods : undefined;
      }, 10_000, `attempt ${i}`);
      await finish(pod!, 'Failed');
      if (i === 0) await waitFor(async () => (await getJob('flaky')).status?.failed === 1, 10_000, 'one failure');
    }
    const failed = await waitCondition('flaky', 'Failed');
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job has reached the specified backoff limit');
    assert.ok(condition(failed, 'FailureTarget'));
    assert.equal(failed.status?.failed, 2);
  });

  it('runs Indexed jobs with one pod per index and tracks completedIndexes', async () => {
    await cp.client.jobs.create(NS, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitFor(async () => ((await activePods('idx')).length === 3 ? activePods('idx') : undefined), 10_000, 'three pods');
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    const p1 = byIndex.get('1')!;
    assert.match(p1.metadata.name ?? '', /^idx-1-.{5}$/);
    assert.equal(p1.spec?.hostname, 'idx-1');
    assert.equal(p1.metadata.labels?.['batch.kubernetes.io/job-completion-index'], '1');
    const env = (p1.spec?.containers[0]?.env as { name: string }[] | undefined) ?? [];
    assert.ok(env.some((e) => e.name === 'JOB_COMPLETION_INDEX'));

    await finish(p1, 'Succeeded');
    await waitFor(async () => (await getJob('idx')).status?.completedIndexes === '1', 10_000, 'index 1 complete');
    // A failed index is recreated with the same index.
    await finish(byIndex.get('0')!, 'Failed');
    await waitFor(async () => (await activePods('idx')).some((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0' && p.metadata.uid !== byIndex.get('0')!.metadata.uid), 10_000, 'index 0 recreated');
    for (const p of await activePods('idx')) await finish(p, 'Succeeded');
    const done = await waitCondition('idx', 'Complete');
    assert.equal(done.status?.completedIndexes, '0-2');
    assert.equal(done.status?.failed, 1);
  });

  it('applies podFailurePolicy: Ignore does not count, FailJob fails the job', async () => {
    await cp.client.jobs.create(NS, job('pfp', {
      backoffLimit: 0,
      podFailurePolicy: { rules: [
        { action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } },
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      ] },
    }));
    const [first] = await waitFor(async () => ((await activePods('pfp')).length === 1 ? activePods('pfp') : undefined), 10_000, 'pod');
    await finish(first!, 'Failed', 7);
    const [second] = await waitFor(async () => {
      const pods = await activePods('pfp');
      return pods.length === 1 && pods[0]!.metadata.uid !== first!.metadata.uid ? pods : undefined;
    }, 10_000, 'replacement after ignored failure');
    assert.equal((await getJob('pfp')).status?.failed ?? 0, 0);
    await finish(second!, 'Failed', 42);
    const failed = await waitCondition('pfp', 'Failed');
    assert.equal(condition(failed, 'Failed')?.reason, 'PodFailurePolicy');
    assert.equal(condition(failed, 'Failed')?.message, `Container main for pod ${NS}/${second!.metadata.name} failed with exit code 42 matching FailJob rule at index 1`);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds, deleting active pods', async () => {
    await cp.client.jobs.create(NS, job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }));
    await waitFor(async () => (await getJob('slow')).status?.active === 2, 10_000, 'running');
    clock.advance(31_000);
    const failed = await waitCondition('slow', 'Failed');
    assert.equal(condition(failed, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(failed.status?.active, 0);
    assert.equal(failed.status?.failed, 2);
    const { items } = await cp.client.pods.list(NS, { labelSelector: 'job-name=slow' });
    assert.equal(items.length, 0);
  });

  it('releases the tracking finalizer of pods whose job was deleted', async () => {
    await cp.client.jobs.create(NS, job('gone', {}));
    const [pod] = await waitFor(async () => ((await activePods('gone')).length === 1 ? activePods('gone') : undefined), 10_000, 'pod');
    await cp.client.jobs.delete(NS, 'gone', { propagationPolicy: 'Background' });
    await waitFor(async () => (await cp.client.pods.get(NS, pod!.metadata.name ?? '')).metadata.finalizers === undefined, 10_000, 'finalizer released');
  });

  it('deletes finished jobs after ttlSecondsAfterFinished', async () => {
    await cp.client.jobs.create(NS, job('ttl', { ttlSecondsAfterFinished: 100 }));
    const [pod] = await waitFor(async () => ((await activePods('ttl')).length === 1 ? activePods('ttl') : undefined), 10_000, 'pod');
    await finish(pod!, 'Succeeded');
    await waitCondition('ttl', 'Complete');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await getJob('ttl')).metadata.deletionTimestamp, undefined);
    clock.advance(101_000);
    await waitFor(async () => {
      const j = await cp.client.jobs.get(NS, 'ttl').catch(() => undefined);
      return !j || j.metadata.deletionTimestamp;
    }, 10_000, 'ttl job deleted');
  });
});
