import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import { RateLimitingQueue } from './work-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('RateLimitingQueue', () => {
  it('de-duplicates keys waiting to be processed and keeps FIFO order', async () => {
    const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
  });

  it('keeps FIFO order through thousands of keys while adds and takes interleave', async () => {
    const q = new RateLimitingQueue<number>({ clock: new FakeClock() });
    const got: number[] = [];
    let next = 0;
    // Takes outrun adds, so the consumed prefix is dropped many times over.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 200; i++) q.add(next++);
      for (let i = 0; i < 150; i++) {
        const k = (await q.get())!;
        got.push(k);
        q.done(k);
      }
    }
    assert.equal(q.len(), 50 * 200 - 50 * 150);
    while (q.len() > 0) got.push((await q.get())!);
    assert.deepEqual(got, Array.from({ length: next }, (_, i) => i));
  });

  it('never hands out a key being processed; a re-add during processing queues it after done', async () => {
    const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
    q.add('a');
    const key = await q.get();
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 'held while processing');
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await tick();
    assert.equal(second, undefined);
    q.done(key!);
    await tick();
    assert.equal(second, 'a');
    q.done('a');
    assert.equal(q.len(), 0, 'queued once');
  });

  it('wakes a waiting getter on add', async () => {
    const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
    const p = q.get();
    q.add('x');
    assert.equal(await p, 'x');
  });

  it('addAfter waits on the clock and keeps the earliest due time', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    clock.advance(49);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    clock.advance(1000);
    assert.equal(q.len(), 1, 'later timers were replaced, not added');
  });

  it('addThrottled runs a quiet key at once and holds a busy one until its period since the last start ends', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addThrottled('a', 100);
    assert.equal(q.len(), 1, 'never processed: added at once');
    assert.equal(await q.get(), 'a');
    q.done('a');
    clock.advance(30);
    q.addThrottled('a', 100);
    q.addThrottled('a', 100);
    assert.equal(q.len(), 0, 'started 30 ms ago: held');
    clock.advance(69);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1, 'due 100 ms after the last start');
    assert.equal(await q.get(), 'a');
    q.done('a');
    clock.advance(1000);
    assert.equal(q.len(), 0, 'the second throttled add did not queue it twice');
    q.addThrottled('a', 100);
    assert.equal(q.len(), 1, 'quiet for longer than the period: at once again');
  });

  it('addRateLimited backs off per key until forget', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000) });
    q.addRateLimited('a');
    clock.advance(5);
    assert.equal(q.len(), 1);
    q.addRateLimited('b');
    q.addRateLimited('b');
    assert.equal(q.numRequeues('b'), 2);
    q.forget('b');
    assert.equal(q.numRequeues('b'), 0);
  });

  it('shutDown releases waiting getters with undefined after draining', async () => {
    const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
    q.add('a');
    q.shutDown();
    q.add('b');
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), undefined);
    const q2 = new RateLimitingQueue<string>({ clock: new FakeClock() });
    const waiting = q2.get();
    q2.shutDown();
    assert.equal(await waiting, undefined);
  });
});
