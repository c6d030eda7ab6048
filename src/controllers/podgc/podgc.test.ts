import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isNotFound } from '../../client/errors.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { podGcController } from './index.js';

let cp: TestControlPlane;
const abort = new AbortController();
let running: Promise<void> | undefined;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
});

after(async () => {
  abort.abort();
  await running;
  await cp.stop();
});

async function makePod(name: string, node: string | undefined, phase: string): Promise<void> {
  const pod = await cp.client.pods.create('default', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...(node ? { nodeName: node } : {}) } });
  await cp.client.pods.updateStatus({ ...pod, status: { phase } });
}

const exists = async (name: string) => {
  try {
    await cp.client.pods.get('default', name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
};

test('deletes the oldest terminated pods over the threshold and pods of missing nodes', async () => {
  await cp.client.nodes.create(undefined, { metadata: { name: 'n1' } });
  for (let i = 0; i < 4; i++) await makePod(`done-${i}`, 'n1', i % 2 ? 'Failed' : 'Succeeded');
  await makePod('live', 'n1', 'Running');
  await makePod('orphan', 'ghost', 'Running');
  running = podGcController(cp.controllerContext({ terminatedPodGcThreshold: 2, podGcPeriodSeconds: 0.1 })).run(abort.signal);
  await waitFor(async () => !(await exists('orphan')) && !(await exists('done-1')), 10_000, 'pods collected');
  assert.deepEqual(await Promise.all(['done-0', 'done-1', 'done-2', 'done-3', 'live'].map(exists)), [false, false, true, true, true]);

  // A node that goes away takes its pods with it.
  await makePod('on-n1', 'n1', 'Running');
  await cp.client.nodes.delete(undefined, 'n1');
  await waitFor(async () => !(await exists('on-n1')) && !(await exists('live')), 10_000, 'pods of deleted node collected');
});
