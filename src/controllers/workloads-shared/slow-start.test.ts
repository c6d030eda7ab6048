import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slowStartBatch } from './slow-start.js';

describe('slowStartBatch', () => {
  it('runs everything in doubling batches', async () => {
    const seen: number[] = [];
    const r = await slowStartBatch([1, 2, 3, 4, 5, 6, 7, 8], async (x) => void seen.push(x));
    assert.deepEqual(r, { succeeded: 8, skipped: 0 });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('stops after the first batch with a failure', async () => {
    const calls: number[] = [];
    const r = await slowStartBatch([1, 2, 3, 4, 5, 6, 7, 8], async (x) => {
      calls.push(x);
      if (x === 3) throw new Error('quota');
    });
    // Batches: [1], [2,3] fails -> [4..] never run.
    assert.deepEqual(calls.sort(), [1, 2, 3]);
    assert.equal(r.succeeded, 2);
    assert.equal(r.skipped, 5);
    assert.equal((r.error as Error).message, 'quota');
  });
});
