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
  assert.deepEqual(Object.keys(CONTROLLERS).sort(), ['endpoints', 'endpointslice', 'nodeipam', 'nodelifecycle', 'podgc', 'resourcequota']);
});
