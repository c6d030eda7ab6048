import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor, WaitTimeoutError } from './wait-for.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('waitFor', () => {
  it('returns the first truthy value, treating errors as not yet', async () => {
    let n = 0;
    const v = await waitFor(() => {
      n++;
      if (n < 3) throw new Error('not yet');
      return n === 4 ? 'done' : '';
    }, { timeoutMs: 5_000, intervalMs: 1 });
    assert.equal(v, 'done');
    assert.equal(n, 4);
  });

  it('rests between checks at least as long as the last check took', async () => {
    const spans: [number, number][] = [];
    await waitFor(async () => {
      const start = Date.now();
      await sleep(80);
      spans.push([start, Date.now()]);
      return spans.length === 3;
    }, { timeoutMs: 60_000, intervalMs: 1 });
    for (let i = 1; i < spans.length; i++) {
      const took = spans[i - 1]![1] - spans[i - 1]![0];
      const rest = spans[i]![0] - spans[i - 1]![1];
      // Timers may fire a millisecond early by rounding.
      assert.ok(rest >= took - 2, `rested ${rest} ms after a ${took} ms check`);
    }
  });

  it('times out with what it waited for and the last error', async () => {
    await assert.rejects(
      waitFor(() => {
        throw new Error('still broken');
      }, { timeoutMs: 50, what: 'the thing', intervalMs: 5 }),
      (err: unknown) => err instanceof WaitTimeoutError && /waiting for the thing \(last: still broken\)/.test(err.message),
    );
  });
});
