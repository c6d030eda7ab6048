import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { Compactor } from './compactor.js';
import { openMemoryStorage } from './memory.js';

async function write(store: ReturnType<typeof openMemoryStorage>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.guaranteedUpdate('/k', () => Buffer.from(String(i)), { ignoreNotFound: true });
}

describe('compactor', () => {
  it('keeps history younger than the retention time and within the revision count', async () => {
    const clock = new FakeClock(1_000_000);
    const store = openMemoryStorage();
    const compactor = new Compactor(store, { retentionMs: 60_000, retentionRevisions: 10, intervalMs: 10_000 }, clock);
    await write(store, 50);
    assert.equal(await compactor.tick(), 0, 'nothing is old enough yet');
    clock.advance(30_000);
    await write(store, 50);
    assert.equal(await compactor.tick(), 0);
    clock.advance(30_000); // the first sample (revision 50) is now 60 s old
    await write(store, 5);
    assert.equal(await compactor.tick(), 50);
    await assert.rejects(store.list('/', { resourceVersion: '49' }), /compacted/);
    assert.equal((await store.list('/', { resourceVersion: '50' })).items.length, 1);
    // Old enough, but within the newest 10 revisions: kept.
    clock.advance(120_000);
    assert.equal(await compactor.tick(), 95);
    await store.close();
  });

  it('runs on its interval with an injected clock', async () => {
    const clock = new FakeClock(0);
    const store = openMemoryStorage();
    const compacted: number[] = [];
    const compactor = new Compactor(
      { currentRevision: () => store.currentRevision(), compact: async (r) => void compacted.push(r) },
      { retentionMs: 1_000, retentionRevisions: 0, intervalMs: 1_000 },
      clock,
    );
    await write(store, 3);
    compactor.start();
    clock.advance(1_000); // first sample at t=1000, rev 3
    await new Promise((r) => setImmediate(r));
    await write(store, 2);
    clock.advance(1_000); // at t=2000 the t=1000 sample is old enough
    await new Promise((r) => setImmediate(r));
    await compactor.stop();
    assert.deepEqual(compacted, [3]);
    await store.close();
  });
});
