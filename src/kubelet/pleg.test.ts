import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeRuntime } from '../cri/fake-runtime.js';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { Pleg } from './pleg.js';
import { syncRig, testPod } from './testing/doubles.js';

test('the relist reports the pods whose sandboxes or containers appeared, changed state or vanished', async () => {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ clock, images: ['busybox:1.35'] });
  const rig = syncRig({ runtime, clock });
  const a = testPod({ containers: [{ name: 'c', image: 'busybox:1.35' }] });
  const b = testPod({ containers: [{ name: 'c', image: 'busybox:1.35' }] });
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
