import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateShapeCache, shapeOf } from './create-shape-cache.js';
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
