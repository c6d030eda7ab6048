import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchJob } from '../job/types.js';
import { timeLeftMs } from './expiry.js';

const T = Date.parse('2024-01-01T00:00:00Z');
const job = (ttl: number | undefined, finished: boolean): BatchJob => ({
  metadata: { name: 'j' },
  spec: { template: {}, ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) },
  status: finished ? { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: new Date(T).toISOString() }] } : {},
});

describe('ttlSecondsAfterFinished expiry', () => {
  it('counts from the finish time', () => {
    assert.equal(timeLeftMs(job(60, true), T + 10_000), 50_000);
    assert.equal(timeLeftMs(job(0, true), T + 1), -1);
  });
  it('never expires unfinished jobs or jobs without a TTL', () => {
    assert.equal(timeLeftMs(job(60, false), T), undefined);
    assert.equal(timeLeftMs(job(undefined, true), T), undefined);
  });
});
