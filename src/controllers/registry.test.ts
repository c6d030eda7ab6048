import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTROLLERS, selectControllers, UnknownControllerError } from './registry.js';

const reg = { a: 1, b: 2, c: 3 };

test('--controllers selection: *, names, -names, disabled by default, unknown names', () => {
  assert.deepEqual(selectControllers(undefined, reg), ['a', 'b', 'c']);
  assert.deepEqual(selectControllers(['*', '-b'], reg), ['a', 'c']);
  assert.deepEqual(selectControllers(['b'], reg), ['b']);
  assert.deepEqual(selectControllers(['*'], reg, new Set(['c'])), ['a', 'b']);
  assert.deepEqual(selectControllers(['*', 'c'], reg, new Set(['c'])), ['a', 'b', 'c']);
  assert.throws(() => selectControllers(['nope'], reg), UnknownControllerError);
  assert.ok(selectControllers().includes('nodelifecycle'));
  for (const name of ['cronjob', 'daemonset', 'endpoints', 'endpointslice', 'job', 'nodeipam', 'nodelifecycle', 'podgc', 'resourcequota', 'statefulset', 'ttlafterfinished']) {
    assert.equal(typeof CONTROLLERS[name], 'function', `${name} is registered`);
  }
});
