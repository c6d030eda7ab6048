import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set.js';
import { fieldElement as f, keyElement, valueElement } from './path-element.js';
import { fieldSetOf } from './to-field-set.js';
import { testListKeys } from './testing.js';

const image = [f('spec'), f('containers'), keyElement([['name', 'app']]), f('image')];

test('FieldsV1 round trip keeps members, "." and upstream order', () => {
  const json = {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
  };
  const s = FieldSet.fromFieldsV1(json);
  assert.deepEqual(s.toStrings(), ['.metadata.labels.app', '.spec.containers[name="app"]', '.spec.containers[name="app"].image', '.spec.replicas']);
  assert.equal(JSON.stringify(s.toFieldsV1()), JSON.stringify(json));
  assert.ok(s.has(image));
  assert.ok(!s.has([f('spec'), f('containers')]));
});

test('set algebra', () => {
  const a = FieldSet.of([f('a')], image, [f('b'), f('c')]);
  const b = FieldSet.of([f('a')], [f('d')]);
  assert.deepEqual(a.union(b).toStrings(), ['.a', '.b.c', '.d', '.spec.containers[name="app"].image']);
  assert.deepEqual(a.intersection(b).toStrings(), ['.a']);
  assert.deepEqual(a.difference(b).toStrings(), ['.b.c', '.spec.containers[name="app"].image']);
  assert.ok(a.difference(a).isEmpty());
  assert.deepEqual(a.recursiveDifference(FieldSet.of([f('spec')])).toStrings(), ['.a', '.b.c']);
  assert.ok(a.equals(FieldSet.fromFieldsV1(a.toFieldsV1())));
});

test('path printing for keys with several fields and set values', () => {
  const s = FieldSet.of(
    [f('ports'), keyElement([['protocol', 'TCP'], ['containerPort', 80]])],
    [f('metadata'), f('finalizers'), valueElement('x')],
  );
  assert.deepEqual(s.toStrings(), ['.metadata.finalizers[="x"]', '.ports[containerPort=80,protocol="TCP"]']);
  assert.deepEqual(Object.keys((s.toFieldsV1()['f:ports'] as object)), ['k:{"containerPort":80,"protocol":"TCP"}']);
});

test('fromFieldsV1 rejects malformed keys and skips unknown kinds', () => {
  assert.throws(() => FieldSet.fromFieldsV1({ 'k:{oops': {} }), /invalid path element/);
  assert.ok(FieldSet.fromFieldsV1({ 'z:whatever': {} }).isEmpty());
});

test('fieldSetOf: leaves, list items and atomic lists, as an applier owns them', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: {},
      template: {
        spec: {
          containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], args: ['a'] }],
          tolerations: [{ key: 'k' }],
        },
      },
    },
  };
  assert.deepEqual(fieldSetOf(deployment, testListKeys).toFieldsV1(), {
    'f:apiVersion': {},
    'f:kind': {},
    'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {} },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"app"}': {
              '.': {},
              'f:args': {},
              'f:image': {},
              'f:name': {},
              // protocol is part of the key even when omitted: it defaults to TCP.
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
          'f:tolerations': {},
        },
      },
    },
  });
});

test('set algebra shares subtrees but never changes its inputs', () => {
  const a = FieldSet.of([f('a')], image, [f('spec'), f('replicas')]);
  const b = FieldSet.of([f('spec'), f('containers'), keyElement([['name', 'app']])], [f('spec'), f('replicas')], [f('z')]);
  const before = [JSON.stringify(a.toFieldsV1()), JSON.stringify(b.toFieldsV1())];
  const u = a.union(b);
  const d = u.difference(FieldSet.of([f('spec'), f('replicas')]));
  const r = u.recursiveDifference(FieldSet.of([f('spec'), f('containers')]));
  assert.deepEqual([JSON.stringify(a.toFieldsV1()), JSON.stringify(b.toFieldsV1())], before);
  assert.deepEqual(d.toStrings(), ['.a', '.spec.containers[name="app"]', '.spec.containers[name="app"].image', '.z']);
  assert.deepEqual(r.toStrings(), ['.a', '.spec.replicas', '.z']);
  // Nothing to drop: the set itself comes back, no copy.
  assert.equal(a.difference(FieldSet.of([f('q')])), a);
  assert.equal(a.union(new FieldSet()), a);
});
