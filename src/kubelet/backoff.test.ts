import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { Backoff } from './backoff.js';

test('back-off doubles from 10 s to a 5 min cap and starts over after a long quiet time', () => {
  const clock = new FakeClock(1_000_000);
  const b = new Backoff(clock);
  assert.equal(b.isInBackOffSince('k', clock.now()), false);
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) delays.push(b.next('k'));
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(b.isInBackOffSince('k', clock.now()), true);
  assert.equal(b.remaining('k', clock.now()), 300_000);
  clock.advance(300_000);
  assert.equal(b.isInBackOffSince('k', clock.now() - 300_000), false);
  // A container that ran for more than 10 minutes: the next failure starts at 10 s again.
  clock.advance(600_001);
  assert.equal(b.next('k'), 10_000);
  b.resetPrefix('k');
  assert.equal(b.current('k'), 0);
});
