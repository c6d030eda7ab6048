import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildCases, fixtureFile, runCase } from './track-update-cases.js';

// The fixtures hold managedFields recorded from the original implementation;
// any optimisation of field tracking must reproduce them exactly, in order.
test('trackUpdate output matches the recorded managedFields for every case', () => {
  const fixtures = JSON.parse(readFileSync(fixtureFile, 'utf8')) as Record<string, unknown[]>;
  const cases = buildCases();
  assert.equal(cases.length, Object.keys(fixtures).length);
  for (const c of cases) {
    // Round-trip through JSON so key order is compared as stored bytes would be.
    const got = JSON.parse(JSON.stringify(runCase(c))) as unknown[];
    assert.deepStrictEqual(got, fixtures[c.name], c.name);
    assert.equal(JSON.stringify(got), JSON.stringify(fixtures[c.name]), `${c.name}: key order`);
  }
});
