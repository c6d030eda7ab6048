import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullPolicyOf } from './image-manager.js';
import { authConfigsFor, registryHost, type SecretLike } from './pull-secrets.js';

test('the default pull policy is Always for latest or untagged images, IfNotPresent otherwise', () => {
  assert.equal(pullPolicyOf({ name: 'c', image: 'busybox' }), 'Always');
  assert.equal(pullPolicyOf({ name: 'c', image: 'busybox:latest' }), 'Always');
  assert.equal(pullPolicyOf({ name: 'c', image: 'localhost:5000/busybox' }), 'Always');
  assert.equal(pullPolicyOf({ name: 'c', image: 'localhost:5000/busybox:1.35' }), 'IfNotPresent');
  assert.equal(pullPolicyOf({ name: 'c', image: 'busybox@sha256:abc' }), 'IfNotPresent');
  assert.equal(pullPolicyOf({ name: 'c', image: 'busybox', imagePullPolicy: 'Never' }), 'Never');
});

test('registry hosts of image references', () => {
  assert.equal(registryHost('busybox'), 'docker.io');
  assert.equal(registryHost('library/busybox:1'), 'docker.io');
  assert.equal(registryHost('quay.io/x/y'), 'quay.io');
  assert.equal(registryHost('localhost/x'), 'localhost');
  assert.equal(registryHost('127.0.0.1:5000/x'), '127.0.0.1:5000');
});

test('dockerconfigjson and dockercfg secrets give credentials for their registry only', () => {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
  const secrets: SecretLike[] = [
    { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': json({ auths: { 'https://index.docker.io/v1/': { username: 'hub', password: 'p1' }, 'quay.io': { username: 'q', password: 'p2' } } }) } },
    { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': json({ 'quay.io': { auth: Buffer.from('q2:p3').toString('base64') } }) } },
    { type: 'Opaque', data: { x: 'eA==' } },
  ];
  assert.deepEqual(authConfigsFor('busybox', secrets), [{ server_address: 'docker.io', username: 'hub', password: 'p1' }]);
  assert.deepEqual(authConfigsFor('quay.io/a/b:1', secrets), [
    { server_address: 'quay.io', username: 'q', password: 'p2' },
    { server_address: 'quay.io', username: 'q2', password: 'p3' },
  ]);
  assert.deepEqual(authConfigsFor('gcr.io/a', secrets), []);
});
