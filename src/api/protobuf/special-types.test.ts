import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, specialType } from './special-types.js';

test('Go duration strings', () => {
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(3.6e12), '1h0m0s');
  assert.equal(formatGoDuration(90e9), '1m30s');
  assert.equal(formatGoDuration(1.5e9), '1.5s');
  assert.equal(formatGoDuration(300e6), '300ms');
  assert.equal(formatGoDuration(-2e9), '-2s');
  const duration = specialType('meta.Duration');
  assert.ok(duration);
  assert.deepEqual(duration.fromJson('1h2m3s', 'd'), { duration: 3723e9 });
  assert.throws(() => duration.fromJson('soon', 'd'), TypeError);
});

test('Time drops sub-seconds, MicroTime keeps microseconds', () => {
  const msg = { seconds: 1700000000, nanos: 123456789 };
  assert.equal(specialType('meta.Time')?.toJson(msg), '2023-11-14T22:13:20Z');
  assert.equal(specialType('.meta.MicroTime')?.toJson(msg), '2023-11-14T22:13:20.123456Z');
  assert.equal(specialType('meta.Time')?.toJson({}), undefined);
  assert.deepEqual(specialType('meta.MicroTime')?.fromJson('2023-11-14T22:13:20.123456Z', 't'), { seconds: 1700000000, nanos: 123456000 });
});

test('Quantity and IntOrString', () => {
  assert.equal(specialType('resource.Quantity')?.toJson({ string: '1Gi' }), '1Gi');
  assert.deepEqual(specialType('resource.Quantity')?.fromJson(2, 'q'), { string: '2' });
  assert.equal(specialType('intstr.IntOrString')?.toJson({ type: 0, intVal: 8080 }), 8080);
  assert.equal(specialType('intstr.IntOrString')?.toJson({ type: 1, strVal: 'http' }), 'http');
  assert.throws(() => specialType('intstr.IntOrString')?.fromJson(1.5, 'p'), TypeError);
});
