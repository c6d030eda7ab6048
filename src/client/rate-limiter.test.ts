import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter } from './rate-limiter.js';

describe('rate limiters', () => {
  it('backs off per item exponentially from 5 ms up to 1000 s, and forgets', () => {
    const l = new ItemExponentialFailureRateLimiter<string>();
    assert.deepEqual([l.when('a'), l.when('a'), l.when('a'), l.when('b')], [5, 10, 20, 5]);
    assert.equal(l.numRequeues('a'), 3);
    for (let i = 0; i < 100; i++) l.when('a');
    assert.equal(l.when('a'), 1_000_000);
    l.forget('a');
    assert.equal(l.numRequeues('a'), 0);
    assert.equal(l.when('a'), 5);
  });

  it('token bucket: burst free, then 1/qps apart, refilling with time', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter<string>(10, 3, clock);
    assert.deepEqual([l.when('x'), l.when('y'), l.when('z')], [0, 0, 0]);
    assert.equal(l.when('x'), 100);
    assert.equal(l.when('x'), 200);
    clock.advance(1000); // refills to at most the burst
    assert.deepEqual([l.when('a'), l.when('a'), l.when('a'), l.when('a')], [0, 0, 0, 100]);
  });

  it('the default limiter takes the larger of the two', () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter<string>(clock);
    for (let i = 0; i < 100; i++) l.when(`k${i}`); // drain the burst
    assert.equal(l.when('fresh'), 100); // bucket (100 ms) beats the item's 5 ms
    assert.equal(l.numRequeues('fresh'), 1);
  });
});
