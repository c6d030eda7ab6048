import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration, timestampSince } from './duration.js';
import { NOW, ago, units } from './testutil.js';

const { s, m, h, d } = units;

test('humanDuration matches upstream thresholds', () => {
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [90 * m, '90m'],
    [179 * m + 59 * s, '179m'],
    [3 * h, '3h'],
    [3 * h + 30 * m, '3h30m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 10 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 3 * h, '8d'],
    [10 * d, '10d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [730 * d + 45 * d, '2y45d'],
    [3 * 365 * d + 45 * d, '3y45d'],
    [8 * 365 * d + 100 * d, '8y'],
    [10 * 365 * d, '10y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

test('timestampSince prints <unknown> for a missing or bad timestamp', () => {
  assert.equal(timestampSince(undefined, NOW), '<unknown>');
  assert.equal(timestampSince('', NOW), '<unknown>');
  assert.equal(timestampSince('not a time', NOW), '<unknown>');
  assert.equal(timestampSince(ago(5 * m), NOW), '5m');
  assert.equal(timestampSince('2024-06-01T11:59:59.500000Z', NOW), '0s');
});
