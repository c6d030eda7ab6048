import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, meta } from './testdata.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('configmaps', () => {
  assert.deepEqual(check('', 'ConfigMap', { metadata: meta('cm'), data: { 'app.conf': 'x' } }), []);
  assert.deepEqual(check('', 'ConfigMap', { metadata: meta('cm'), data: { 'a b': 'x', '..x': 'y' } }), [
    "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    "data[..x]: Invalid value: \"..x\": must not start with '..'",
  ]);
  assert.deepEqual(check('', 'ConfigMap', { metadata: meta('cm'), data: { a: 'x'.repeat(1024 * 1024 + 1) } }), [
    ': Too long: may not be more than 1048576 bytes',
  ]);
  const old = { metadata: meta('cm'), immutable: true, data: { a: '1' } };
  assert.deepEqual(check('', 'ConfigMap', { metadata: meta('cm'), immutable: true, data: { a: '2' } }, old), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

test('secrets', () => {
  assert.deepEqual(check('', 'Secret', { metadata: meta('s'), stringData: { password: 'p' } }), []);
  assert.deepEqual(check('', 'Secret', { metadata: meta('s'), type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), [
    'data[tls.key]: Required value',
  ]);
  assert.deepEqual(
    check('', 'Secret', { metadata: meta('s'), type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }),
    [],
  );
  assert.deepEqual(check('', 'Secret', { metadata: meta('s'), type: 'kubernetes.io/service-account-token' }), [
    'metadata.annotations[kubernetes.io/service-account.name]: Required value',
  ]);
  assert.deepEqual(check('', 'Secret', { metadata: meta('s'), type: 'kubernetes.io/basic-auth' }, { metadata: meta('s') }), [
    'data[username]: Required value',
    'data[password]: Required value',
    'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
  ]);
});
