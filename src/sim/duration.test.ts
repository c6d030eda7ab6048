import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from './duration.js';
import { SimConfigError } from './errors.js';

test('parseDuration reads Go-style durations as milliseconds', () => {
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('150ms'), 150);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('250'), 250);
  assert.equal(parseDuration(42), 42);
});

test('parseDuration rejects junk', () => {
  for (const bad of ['', 'abc', '5x', 's', '-1s', '1s2']) assert.throws(() => parseDuration(bad), SimConfigError, bad);
  assert.throws(() => parseDuration(-1), SimConfigError);
});
