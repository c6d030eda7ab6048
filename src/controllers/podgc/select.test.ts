import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../client/types.js';
import { boundToMissingNodes, terminatedOverThreshold, unscheduledTerminating } from './select.js';

const pod = (name: string, phase: string, created: string, extra: { reason?: string; node?: string; deleting?: boolean } = {}): Pod => ({
  metadata: { name, creationTimestamp: created, ...(extra.deleting ? { deletionTimestamp: created } : {}) },
  spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
  status: { phase, ...(extra.reason ? { reason: extra.reason } : {}) },
});

test('terminated pods over the threshold: evicted first, then oldest', () => {
  const pods = [
    pod('new-ok', 'Succeeded', '2024-01-03T00:00:00Z'),
    pod('old-fail', 'Failed', '2024-01-01T00:00:00Z'),
    pod('running', 'Running', '2023-01-01T00:00:00Z'),
    pod('evicted', 'Failed', '2024-01-05T00:00:00Z', { reason: 'Evicted' }),
    pod('mid', 'Succeeded', '2024-01-02T00:00:00Z'),
  ];
  assert.deepEqual(terminatedOverThreshold(pods, 2).map((p) => p.metadata.name), ['evicted', 'old-fail']);
  assert.deepEqual(terminatedOverThreshold(pods, 4), []);
  assert.deepEqual(terminatedOverThreshold(pods, 0), []);
});

test('orphans and unscheduled terminating pods', () => {
  const pods = [pod('a', 'Running', 'x', { node: 'gone' }), pod('b', 'Running', 'x', { node: 'here' }), pod('c', 'Pending', 'x', { deleting: true }), pod('d', 'Pending', 'x')];
  assert.deepEqual(boundToMissingNodes(pods, (n) => n === 'here').map((p) => p.metadata.name), ['a']);
  assert.deepEqual(unscheduledTerminating(pods).map((p) => p.metadata.name), ['c']);
});
