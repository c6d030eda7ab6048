import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDuplicateJsonFields } from './duplicate-fields.js';

test('reports repeated keys with their full path', () => {
  const body =
    '{"kind":"Deployment","spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]}},"replicas":2}}';
  assert.deepEqual(findDuplicateJsonFields(body), ['spec.template.spec.containers[1].name', 'spec.replicas']);
});

test('no duplicates in ordinary bodies; same key in sibling objects is fine', () => {
  assert.deepEqual(findDuplicateJsonFields('{"a":{"x":1},"b":{"x":[1,2,{"x":null}]},"c":"x\\"x"}'), []);
  assert.deepEqual(findDuplicateJsonFields(' [ ] '), []);
});

test('keys are compared after unescaping', () => {
  assert.deepEqual(findDuplicateJsonFields('{"a":1,"\\u0061":2}'), ['a']);
});

test('malformed JSON does not throw', () => {
  assert.deepEqual(findDuplicateJsonFields('{"a":1,"a":'), ['a']);
  assert.deepEqual(findDuplicateJsonFields('{"a" 1}'), []);
});

test('objects with many keys, top-level arrays and nested paths are reported the same way', () => {
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`k${k}`, k]));
  const body = JSON.stringify(many).replace(/}$/, ',"k3":0,"k39":1}');
  assert.deepEqual(findDuplicateJsonFields(body), ['k3', 'k39']);
  assert.deepEqual(findDuplicateJsonFields('[{"a":[{"b":1,"b":2}]},{"c":1}]'), ['[0].a[0].b']);
  assert.deepEqual(findDuplicateJsonFields('{"x":{"y":[true,false,null,-1.5e3,{"z":1,"z":2}]}}'), ['x.y[4].z']);
});
