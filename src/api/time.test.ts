import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339, rfc3339Micro } from './time.js';

test('rfc3339 formats to the second, the same within a second and anew across seconds and back', () => {
  const t = Date.UTC(2026, 10, 26, 5, 4, 3);
  assert.equal(rfc3339(t), '2026-11-26T05:04:03Z');
  assert.equal(rfc3339(t + 999), '2026-11-26T05:04:03Z');
  assert.equal(rfc3339(t + 1000), '2026-11-26T05:04:04Z');
  assert.equal(rfc3339(t - 1), '2026-11-26T05:04:02Z');
  assert.equal(rfc3339(0), '1970-01-01T00:00:00Z');
  assert.throws(() => rfc3339(NaN), RangeError);
  assert.equal(rfc3339Micro(t + 5), '2026-11-26T05:04:03.005000Z');
});
