import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slowStartBatch } from './slow-start.js';

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, ... capped by what remains', async () => {
    // Every call of a batch starts before any of them resumes: count them then.
    const sizes: number[] = [];
    let started = 0;
    const r = await slowStartBatch(10, 1, async () => {
      started++;
      await Promise.resolve();
      if (started > 0) {
        sizes.push(started);
        started = 0;
      }
    });
    assert.deepEqual(sizes, [1, 2, 4, 3]);
    assert.deepEqual(r, { successes: 10 });
  });
  it('stops after the first batch with a failure, counting its successes', async () => {
    let calls = 0;
    const r = await slowStartBatch(20, 1, async () => {
      calls++;
      // Calls 1..3 (batches 1 and 2) succeed; the batch of 4 has one failure.
      if (calls === 5) throw new Error('quota');
    });
    assert.equal(calls, 7);
    assert.equal(r.successes, 6);
    assert.equal((r.error as Error).message, 'quota');
  });
  it('does nothing for zero', async () => {
    let calls = 0;
    assert.deepEqual(await slowStartBatch(0, 1, async () => void calls++), { successes: 0 });
    assert.equal(calls, 0);
  });
});
