import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJSON, fnv32a, fnv64aHex, safeEncodeString } from './hash.js';

test('FNV-1a 32 and 64 match the reference vectors, and a seed continues a hash', () => {
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv32a(Buffer.from('b'), fnv32a(Buffer.from('a'))), fnv32a(Buffer.from('ab')));
  assert.equal(fnv64aHex(Buffer.from('')), 'cbf29ce484222325');
  assert.equal(fnv64aHex(Buffer.from('a')), 'af63dc4c8601ec8c');
});

test('safeEncodeString maps digits to 4-9 and b, c, d, f: the familiar look of upstream hashes', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('canonicalJSON sorts keys at every level, drops undefined, and nulls only when asked', () => {
  const v = { b: [1, { d: 1, c: null, e: undefined }], a: 'x' };
  assert.equal(canonicalJSON(v), '{"a":"x","b":[1,{"c":null,"d":1}]}');
  assert.equal(canonicalJSON(v, { dropNulls: true }), '{"a":"x","b":[1,{"d":1}]}');
  assert.equal(canonicalJSON(null), 'null');
});
