import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../util/log.js';
import { Pleg } from './pleg.js';
import { syncRig, testPod } from './testing/doubles.js';

/** A sync rig and two pods of one busybox container each, not yet synced. */
function twoPods() {
  const rig = syncRig();
  const pod = () => testPod({ containers: [{ name: 'c', image: 'busybox:1.35' }] });
  return { rig, runtime: rig.runtime, clock: rig.clock, a: pod(), b: pod() };
}

test('the relist reports the pods whose sandboxes or containers appeared, changed state or vanished', async () => {
  const { rig, runtime, clock, a, b } = twoPods();
  await rig.syncer.sync(a);
  await rig.syncer.sync(b);
  const events: string[] = [];
  const pleg = new Pleg(runtime, clock, (uid) => events.push(uid), silentLogger);
  assert.deepEqual((await pleg.relist()).sort(), [a.metadata.uid, b.metadata.uid].sort(), 'everything is new at first');
  assert.deepEqual(await pleg.relist(), []);
  runtime.exitContainer(runtime.runningContainer('c', b.metadata.uid)!, 1);
  assert.deepEqual(await pleg.relist(), [b.metadata.uid]);
  await rig.syncer.cleanupOrphan(a.metadata.uid!);
  assert.deepEqual(await pleg.relist(), [a.metadata.uid]);
  // Objects another client made (no managed label) are not ours to report.
  await runtime.runPodSandbox({ metadata: { name: 'x', namespace: 'd', uid: 'foreign', attempt: 0 }, hostname: '', log_directory: '', port_mappings: [], labels: {}, annotations: {} });
  assert.deepEqual(await pleg.relist(), []);
  assert.equal(events.length, 4);
});

test('what a sync read is not reported again; a change after it is', async () => {
  const { rig, runtime, clock, a, b } = twoPods();
  const pleg = new Pleg(runtime, clock, () => undefined, silentLogger);
  assert.deepEqual(await pleg.relist(), []);
  const ra = await rig.syncer.sync(a);
  await rig.syncer.sync(b);
  assert.ok(ra.runtime, 'the sync hands back the runtime state it read');
  pleg.observe(a.metadata.uid!, ra.runtime);
  assert.deepEqual(await pleg.relist(), [b.metadata.uid], 'only the pod whose sync was not observed');
  // A restart: the sync saw the old container exited and started a new one.
  runtime.exitContainer(runtime.runningContainer('c', a.metadata.uid)!, 1);
  rig.clock.advance(60_000);
  const again = await rig.syncer.sync(a);
  pleg.observe(a.metadata.uid!, again.runtime!);
  assert.deepEqual(await pleg.relist(), []);
  runtime.exitContainer(runtime.runningContainer('c', a.metadata.uid)!, 2);
  assert.deepEqual(await pleg.relist(), [a.metadata.uid], 'a change after the sync is reported');
  // Objects the sync's read no longer holds are forgotten with it, so their later return is news.
  await rig.syncer.cleanupOrphan(b.metadata.uid!);
  pleg.observe(b.metadata.uid!, { uid: b.metadata.uid!, name: '', namespace: '', sandboxes: [], containers: [] });
  assert.deepEqual(await pleg.relist(), []);
});
