import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumeAndReserve, bindingCycle } from './binding.js';
import { buildFramework } from './framework/profile.js';
import { inTreeRegistry } from './plugins/registry.js';
import { scheduleOne } from './scheduler.js';
import { makeCache, makeNode, makePod } from './testing/fixtures.js';
import type { Pod } from './types.js';

function setup(bind: (pod: Pod, node: string) => Promise<void>) {
  const cache = makeCache([makeNode('n', { cpu: '1' })]);
  const fw = buildFramework(undefined, inTreeRegistry({ bind }), { random: () => 0 });
  return { cache, fw };
}

test('a successful binding cycle keeps the pod assumed until the informer confirms it', async () => {
  const bound: string[] = [];
  const { cache, fw } = setup(async (pod, node) => {
    bound.push(`${pod.metadata.name}@${node}`);
  });
  const pod = makePod('p', { cpu: '1' });
  const out = scheduleOne(pod, cache, fw);
  assert.equal(out.status, 'Scheduled');
  if (out.status !== 'Scheduled') return;
  assert.ok(assumeAndReserve(cache, fw, out.state, out.podInfo, out.node).isSuccess());
  // The node is full for the next cycle already.
  const next = scheduleOne(makePod('q', { cpu: '1' }), cache, fw);
  assert.equal(next.status, 'Unschedulable');
  assert.ok((await bindingCycle(cache, fw, out.state, out.podInfo, out.node)).isSuccess());
  assert.deepEqual(bound, ['p@n']);
  assert.ok(cache.isAssumed(pod));
  cache.addPod({ ...pod, spec: { ...pod.spec, nodeName: 'n' } });
  assert.ok(!cache.isAssumed(pod));
});

test('a failed bind forgets the assumed pod and reports the error', async () => {
  const { cache, fw } = setup(async () => {
    throw new Error('conflict');
  });
  const pod = makePod('p', { cpu: '1' });
  const out = scheduleOne(pod, cache, fw);
  if (out.status !== 'Scheduled') return assert.fail('not scheduled');
  assumeAndReserve(cache, fw, out.state, out.podInfo, out.node);
  const st = await bindingCycle(cache, fw, out.state, out.podInfo, out.node);
  assert.equal(st.code, 'Error');
  assert.deepEqual(st.reasons, ['conflict']);
  assert.equal(st.plugin, 'DefaultBinder');
  assert.equal(cache.podCount(), 0);
  assert.equal(cache.get('n')!.requested.milliCPU, 0);
});
