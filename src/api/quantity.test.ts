import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  add,
  canonicalQuantity,
  compareQuantities,
  formatQuantity,
  milliValue,
  parseQuantity,
  QuantityParseError,
  roundUp,
  sub,
  value,
} from './quantity.js';

test('canonical forms match upstream String()', () => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['100m', '100m'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['128Mi', '128Mi'],
    ['1e3', '1e3'], // kept as written: already canonical for its format
    ['1.5e3', '1500'],
    ['1E3', '1E3'],
    ['1000e0', '1e3'],
    ['1k', '1k'],
    ['1000', '1k'],
    ['1.5k', '1500'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
    ['1.1Ki', '1126400m'],
    ['-1Ki', '-1Ki'],
    ['-0.5', '-500m'],
    ['1n', '1n'],
    ['0.1n', '1n'], // rounded up to a nano
    ['-0.1n', '-1n'], // rounded away from zero
    ['12345678u', '12345678u'],
    ['0.000001', '1u'],
    ['1M', '1M'],
    ['7Ei', '7Ei'],
    ['8Ei', '9223372036854775807'],
    ['100Ei', '9223372036854775807'], // binary values are capped at int64
    ['+1', '+1'],
    ['-0', '0'],
    ['2000000000000000000000', '2000E'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('parse errors carry upstream messages', () => {
  const bad: [string, string][] = [
    ['', 'FormatWrong'],
    ['abc', 'FormatWrong'],
    ['1.2.3', 'FormatWrong'],
    ['1 Gi', 'FormatWrong'],
    ['1Gb', 'FormatWrong'],
    ['1e', 'Suffix'],
    ['1iK', 'Suffix'],
  ];
  for (const [input, reason] of bad) {
    assert.throws(
      () => parseQuantity(input),
      (e: unknown) => e instanceof QuantityParseError && e.reason === reason,
      input,
    );
  }
  assert.throws(() => parseQuantity('x'), {
    message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  });
  assert.throws(() => parseQuantity('5KiM'), { message: "unable to parse quantity's suffix" });
});

test('comparison and arithmetic are exact', () => {
  const q = parseQuantity;
  assert.equal(compareQuantities(q('100m'), q('0.1')), 0);
  assert.equal(compareQuantities(q('1Gi'), q('1G')), 1);
  assert.equal(compareQuantities(q('999m'), q('1')), -1);
  assert.equal(formatQuantity(add(q('100m'), q('200m'))), '300m');
  assert.equal(formatQuantity(add(q('128Mi'), q('128Mi'))), '256Mi');
  assert.equal(formatQuantity(sub(q('1'), q('250m'))), '750m');
  assert.equal(formatQuantity(add(q('0'), q('1Ki'))), '1Ki'); // zero takes the other format
  // 0.1 + 0.2 in floating point would not be 300m.
  assert.equal(compareQuantities(add(q('0.1'), q('0.2')), q('0.3')), 0);
});

test('value and milliValue round away from zero', () => {
  assert.equal(value(parseQuantity('100m')), 1n);
  assert.equal(value(parseQuantity('-100m')), -1n);
  assert.equal(value(parseQuantity('2')), 2n);
  assert.equal(value(parseQuantity('1Mi')), 1048576n);
  assert.equal(milliValue(parseQuantity('1')), 1000n);
  assert.equal(milliValue(parseQuantity('1n')), 1n);
  assert.equal(milliValue(parseQuantity('1.5')), 1500n);
});

test('roundUp to milli keeps exact values untouched', () => {
  const q = parseQuantity('100m');
  assert.equal(roundUp(q, -3), q);
  assert.equal(formatQuantity(roundUp(parseQuantity('100u'), -3)), '1m');
  assert.equal(formatQuantity(roundUp(parseQuantity('1.0001'), -3)), '1001m');
  assert.equal(formatQuantity(roundUp(parseQuantity('-1.0001'), -3)), '-1001m');
});
