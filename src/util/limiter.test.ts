import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyLimiter, mapLimited } from './limiter.js';

const flush = () => new Promise<void>((r) => setImmediate(r));

test('ConcurrencyLimiter and mapLimited keep at most the limit in flight, in order', async () => {
  let active = 0;
  let max = 0;
  const out = await mapLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
    active++;
    max = Math.max(max, active);
    await flush();
    active--;
    return n * 10;
  });
  assert.deepEqual(out, [10, 20, 30, 40, 50, 60]);
  assert.equal(max, 2);
  assert.throws(() => new ConcurrencyLimiter(0), RangeError);
});

test('a released slot goes to the first waiter, not to a newcomer, and releasing twice frees one slot', async () => {
  const l = new ConcurrencyLimiter(1);
  const order: string[] = [];
  const first = await l.acquire();
  const waiter = l.acquire().then((release) => (order.push('waiter'), release));
  assert.equal(l.queued, 1);
  first();
  first(); // a second call must not free another slot
  const newcomer = l.acquire().then((release) => (order.push('newcomer'), release));
  const releaseWaiter = await waiter;
  await flush();
  assert.deepEqual(order, ['waiter']);
  assert.equal(l.inFlight, 1);
  releaseWaiter();
  (await newcomer)();
  assert.deepEqual(order, ['waiter', 'newcomer']);
  assert.equal(l.inFlight, 0);
});
