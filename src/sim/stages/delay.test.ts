import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageDelayMs } from './delay.js';

const pod = (annotations?: Record<string, string>, grace?: number) => ({ metadata: { name: 'p', annotations, ...(grace === undefined ? {} : { deletionGracePeriodSeconds: grace }) } });

test('stageDelayMs: fixed, jittered, from annotations, capped by grace', () => {
  assert.equal(stageDelayMs(pod(), undefined), 0);
  assert.equal(stageDelayMs(pod(), { durationMs: 20 }), 20);
  assert.equal(stageDelayMs(pod(), { durationMs: 20, jitterMs: 10 }, () => 0.5), 25);
  const fromA = { durationMs: 7, fromAnnotations: ['a', 'b'] };
  assert.equal(stageDelayMs(pod({ b: '2s' }), fromA), 2000);
  assert.equal(stageDelayMs(pod({ a: '150ms', b: '2s' }), fromA), 150, 'first present annotation wins');
  assert.equal(stageDelayMs(pod({ a: 'soon', b: '1s' }), fromA), 1000, 'unreadable value falls through');
  assert.equal(stageDelayMs(pod({ a: 'soon' }), fromA), 7);
  assert.equal(stageDelayMs(pod({}, 0), { durationMs: 5000, capToGracePeriod: true }), 0);
  assert.equal(stageDelayMs(pod({}, 2), { durationMs: 5000, capToGracePeriod: true }), 2000);
  assert.equal(stageDelayMs(pod({}, 30), { durationMs: 50, capToGracePeriod: true }), 50);
  assert.equal(stageDelayMs(pod({}, 0), { durationMs: 5000 }), 5000, 'no cap unless asked');
});
