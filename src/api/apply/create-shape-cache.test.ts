import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateShapeCache, shapeOf } from './create-shape-cache.js';
import { FieldSet } from './field-set.js';
import { testListKeys, type Obj } from './testing.js';
import { trackUpdate } from './track-update.js';

const pod = (name: string, labels: Obj, containers: Obj[], extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels },
  spec: { containers, ...extra },
});
const c = (name: string, image = 'busybox') => ({ name, image, ports: [{ containerPort: 80 }] });

test('shapeOf ignores scalar values outside lists but not keys, nulls, or anything inside a list', () => {
  assert.equal(shapeOf(pod('a', { app: 'x' }, [c('c')])), shapeOf(pod('b', { app: 'y' }, [c('c')], {})));
  assert.notEqual(shapeOf(pod('a', { app: 'x' }, [c('c')])), shapeOf(pod('a', { tier: 'x' }, [c('c')])), 'another label key');
  assert.notEqual(shapeOf(pod('a', {}, [c('c')])), shapeOf(pod('a', {}, [c('d')])), 'another list item key');
  assert.notEqual(shapeOf(pod('a', {}, [c('c')])), shapeOf(pod('a', {}, [c('c'), c('d')])));
  assert.notEqual(shapeOf({ a: null }), shapeOf({ a: 1 }));
  assert.notEqual(shapeOf({ a: {} }), shapeOf({ a: 's' }));
  assert.notEqual(shapeOf({ a: ['x'] }), shapeOf({ a: ['y'] }), 'set items count by value');
});

test('a create of a known shape gets the entry trackUpdate would have made, with its own time', () => {
  const cache = new CreateShapeCache();
  const compute = (o: Obj, now: string) => () => (trackUpdate({ old: null, updated: o, manager: 'rs', apiVersion: 'v1', listKeys: testListKeys, now }) as { metadata: { managedFields?: unknown[] } }).metadata.managedFields;
  const a = pod('a', { app: 'x' }, [c('c')]);
  const b = pod('b', { app: 'y' }, [c('c')]);
  const first = cache.managedFields('v1/pods/rs', a, 'T0', compute(a, 'T0'));
  let computedAgain = false;
  const second = cache.managedFields('v1/pods/rs', b, 'T1', () => ((computedAgain = true), undefined));
  assert.equal(computedAgain, false, 'the second create of the shape is a hit');
  assert.deepEqual(second, compute(b, 'T1')());
  assert.equal((first![0] as { time: string }).time, 'T0');
  const entry = second![0] as { fieldsV1: Record<string, unknown> };
  assert.throws(() => (entry.fieldsV1['f:spec'] = {}), TypeError, 'the shared set is frozen');
  // Another scope, or another shape, computes again.
  let calls = 0;
  cache.managedFields('v1/pods/other', b, 'T2', () => (calls++, compute(b, 'T2')()));
  cache.managedFields('v1/pods/rs', pod('d', { app: 'y' }, [c('c'), c('e')]), 'T2', () => (calls++, []));
  assert.equal(calls, 2);
});

test('the cache keeps at most its bound, dropping the oldest shape', () => {
  const cache = new CreateShapeCache(2);
  const entry = () => [{ manager: 'm', fieldsV1: {} }];
  for (const k of ['a', 'b', 'c']) cache.managedFields('s', { [k]: 1 }, 'T', entry);
  assert.equal(cache.size, 2);
  let recomputed = false;
  cache.managedFields('s', { a: 1 }, 'T', () => ((recomputed = true), entry()));
  assert.equal(recomputed, true);
});

test('objects created with a cached entry share its field set: an update neither decodes it nor encodes it again', () => {
  const cache = new CreateShapeCache();
  const a = pod('a', { app: 'x' }, [c('c')]);
  const created = cache.managedFields('v1/pods/rs', a, 'T0', () => (trackUpdate({ old: null, updated: a, manager: 'rs', apiVersion: 'v1', listKeys: testListKeys, now: 'T0' }) as { metadata: { managedFields?: unknown[] } }).metadata.managedFields);
  const shared = (created![0] as { fieldsV1: Record<string, unknown> }).fieldsV1;
  const set = FieldSet.fromFieldsV1(shared);
  assert.equal(FieldSet.fromFieldsV1(shared), set, 'decoded once');
  assert.equal(set.toFieldsV1(), shared, 'encoded as the shared object');
  // A status write by another manager leaves rs's fields alone: its entry is the shared object itself.
  const stored = { ...a, metadata: { ...(a.metadata as Obj), managedFields: created } };
  const updated = { ...stored, status: { phase: 'Running' } };
  const after = (trackUpdate({ old: stored, updated, manager: 'sim', apiVersion: 'v1', listKeys: testListKeys, now: 'T1', subresource: 'status' }) as { metadata: { managedFields: { manager: string; fieldsV1: unknown }[] } }).metadata.managedFields;
  assert.equal(after.find((m) => m.manager === 'rs')!.fieldsV1, shared);
  // A fieldsV1 nobody shares decodes afresh each time (nothing is kept per object).
  const own = after.find((m) => m.manager === 'sim')!.fieldsV1 as Record<string, unknown>;
  assert.notEqual(FieldSet.fromFieldsV1(own), FieldSet.fromFieldsV1(own));
  assert.deepEqual(FieldSet.fromFieldsV1(own).toFieldsV1(), own);
});
