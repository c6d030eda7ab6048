import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { runWorkers } from './controller.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import { RateLimitingQueue } from './work-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('runWorkers', () => {
  it('requeues failures with backoff, forgets successes, never runs one key twice at once', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(10, 1000) });
    const calls: string[] = [];
    const running = new Set<string>();
    let concurrentSameKey = false;
    let failuresLeft = 2;
    const errors: string[] = [];
    const done = runWorkers(q, 3, async (key) => {
      if (running.has(key)) concurrentSameKey = true;
      running.add(key);
      calls.push(key);
      await tick();
      running.delete(key);
      if (key === 'flaky' && failuresLeft-- > 0) throw new Error('not yet');
    }, { onError: (k) => errors.push(k) });
    q.add('flaky');
    q.add('ok');
    await tick();
    q.add('ok'); // re-added while (maybe) in process
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(q.numRequeues('flaky'), 1);
    clock.advance(10);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(q.numRequeues('flaky'), 2);
    clock.advance(20);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(calls.filter((k) => k === 'flaky').length, 3);
    assert.equal(q.numRequeues('flaky'), 0, 'forgotten after success');
    assert.deepEqual(errors, ['flaky', 'flaky']);
    assert.equal(concurrentSameKey, false);
    q.shutDown();
    await done;
  });

  it('gives up after maxRetries', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(1, 1) });
    let calls = 0;
    const done = runWorkers(q, 1, async () => {
      calls++;
      throw new Error('always');
    }, { maxRetries: 2 });
    q.add('k');
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) await tick();
      clock.advance(1);
    }
    assert.equal(calls, 3);
    q.shutDown();
    await done;
  });
});
