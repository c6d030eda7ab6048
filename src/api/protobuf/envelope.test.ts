import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import protobuf from 'protobufjs';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isKubernetesProtobuf, messageTypeFor, ProtobufDecodeError, protobufKinds } from './index.js';
import { accessReview, deployment, job, richPod, tokenRequest, whoami } from './testdata/objects.js';

const MAGIC = Buffer.from('k8s\0', 'binary');

/** An envelope built by hand with protobufjs' Writer, independent of encodeKubernetesProtobuf. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Buffer {
  const typeMeta = protobuf.Writer.create().uint32((1 << 3) | 2).string(apiVersion).uint32((2 << 3) | 2).string(kind).finish();
  const w = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(typeMeta).uint32((2 << 3) | 2).bytes(raw);
  if (contentEncoding !== '') w.uint32((3 << 3) | 2).string(contentEncoding);
  return Buffer.concat([MAGIC, w.finish()]);
}

function assertDecodeError(body: Uint8Array, code: 'Malformed' | 'UnknownKind', status: 400 | 415): void {
  assert.throws(() => decodeKubernetesProtobuf(body), (err: unknown) => {
    assert.ok(err instanceof ProtobufDecodeError);
    assert.equal(err.code, code);
    assert.equal(err.httpStatus, status);
    return true;
  });
}

describe('round trips (encode, then decode)', () => {
  for (const [name, obj] of Object.entries({ richPod, deployment, job, whoami, tokenRequest, accessReview })) {
    test(name, () => {
      assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj)), obj);
    });
  }

  test('apiVersion and kind come first, as in the JSON API', () => {
    const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(deployment));
    assert.deepEqual(Object.keys(decoded).slice(0, 2), ['apiVersion', 'kind']);
  });

  test('bytes fields carry every byte value, as base64', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { bin: all.toString('base64') }, immutable: true };
    const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(secret));
    assert.deepEqual(decoded, secret);
    assert.deepEqual(Buffer.from(String((decoded['data'] as Record<string, unknown>)['bin']), 'base64'), all);
  });

  test('zero values of Go value fields are omitted, zero pointers kept', () => {
    const withZeros = structuredClone(deployment);
    Object.assign(withZeros.spec, { minReadySeconds: 0, paused: false });
    const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(withZeros));
    assert.deepEqual(decoded, deployment);
    const spec = decoded['spec'] as Record<string, unknown>;
    assert.equal(spec['replicas'], 0);
    assert.deepEqual(spec['strategy'], { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
  });

  test('JSON fields the schema does not know are dropped', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, bogus: 1, spec: { finalizers: ['kubernetes'] } };
    assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(ns)), {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] },
    });
  });
});

describe('wire semantics (hand-built bodies)', () => {
  test('Go writes zero value fields; only pointer ones survive', () => {
    // DeploymentSpec: replicas=1 (pointer) 0, minReadySeconds=5 0, paused=7 false, strategy=4 empty message.
    const spec = protobuf.Writer.create().uint32(1 << 3).int32(0).uint32(5 << 3).int32(0).uint32(7 << 3).bool(false)
      .uint32((4 << 3) | 2).bytes(new Uint8Array(0)).finish();
    // ObjectMeta: name=1 "d", creationTimestamp=8 empty (Go's zero time).
    const meta = protobuf.Writer.create().uint32((1 << 3) | 2).string('d').uint32((8 << 3) | 2).bytes(new Uint8Array(0)).finish();
    const raw = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(meta).uint32((2 << 3) | 2).bytes(spec).finish();
    assert.deepEqual(decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw)), {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 0, strategy: {} },
    });
  });

  test('Time is RFC 3339 in UTC, IntOrString keeps its type', () => {
    const time = protobuf.Writer.create().uint32(1 << 3).int64(1700000000).uint32(2 << 3).int32(5).finish();
    const meta = protobuf.Writer.create().uint32((8 << 3) | 2).bytes(time).finish();
    const intOrString = protobuf.Writer.create().uint32(1 << 3).int64(1).uint32((3 << 3) | 2).string('30%').finish();
    const spec = protobuf.Writer.create().uint32((3 << 3) | 2).bytes(intOrString).finish();
    const raw = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(meta).uint32((2 << 3) | 2).bytes(spec).finish();
    assert.deepEqual(decodeKubernetesProtobuf(envelope('policy/v1', 'PodDisruptionBudget', raw)), {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { creationTimestamp: '2023-11-14T22:13:20Z' }, spec: { maxUnavailable: '30%' },
    });
  });

  test('fields unknown to the schema are skipped', () => {
    const meta = protobuf.Writer.create().uint32((1 << 3) | 2).string('x').uint32((99 << 3) | 2).string('future').finish();
    const raw = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(meta).uint32(50 << 3).int32(7).finish();
    assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw)), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  });
});

describe('bad bodies', () => {
  const good = encodeKubernetesProtobuf(deployment);

  test('JSON or empty bodies lack the magic', () => {
    assertDecodeError(Buffer.from('{"kind":"Pod"}'), 'Malformed', 400);
    assertDecodeError(Buffer.alloc(0), 'Malformed', 400);
    assertDecodeError(Buffer.from('k8s'), 'Malformed', 400);
  });

  test('an envelope without typeMeta is malformed', () => {
    assertDecodeError(MAGIC, 'Malformed', 400);
  });

  test('truncated bytes are malformed', () => {
    assertDecodeError(good.subarray(0, good.length - 7), 'Malformed', 400);
  });

  test('an invalid wire type in the object is malformed', () => {
    assertDecodeError(envelope('v1', 'ConfigMap', Uint8Array.from([0x0f, 0x01])), 'Malformed', 400);
  });

  test('a compressed envelope is refused', () => {
    assertDecodeError(envelope('v1', 'ConfigMap', new Uint8Array(0), 'gzip'), 'Malformed', 400);
  });

  test('a kind without a schema is UnknownKind (415)', () => {
    assertDecodeError(envelope('v1', 'Node', new Uint8Array(0)), 'UnknownKind', 415);
    assertDecodeError(envelope('example.com/v1', 'Widget', new Uint8Array(0)), 'UnknownKind', 415);
    assert.throws(() => encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'Node' }), ProtobufDecodeError);
  });

  test('decode errors name themselves', () => {
    try {
      decodeKubernetesProtobuf(Buffer.from('nope'));
      assert.fail('expected a throw');
    } catch (err) {
      assert.ok(err instanceof Error);
      assert.equal(err.name, 'ProtobufDecodeError');
    }
  });
});

describe('kind registry', () => {
  test('every listed kind resolves to a message the schema defines', () => {
    for (const { apiVersion, kind } of protobufKinds()) {
      const body = encodeKubernetesProtobuf({ apiVersion, kind, metadata: { name: 'n' } });
      assert.deepEqual(decodeKubernetesProtobuf(body)['metadata'], { name: 'n' }, `${apiVersion} ${kind}`);
    }
  });

  test('covers the kinds kubectl sends as protobuf', () => {
    for (const key of ['v1/Namespace', 'v1/Pod', 'apps/v1/Deployment', 'batch/v1/CronJob', 'authentication.k8s.io/v1/TokenRequest',
      'authentication.k8s.io/v1beta1/SelfSubjectReview', 'authorization.k8s.io/v1/SelfSubjectAccessReview']) {
      const slash = key.lastIndexOf('/');
      assert.ok(messageTypeFor(key.slice(0, slash), key.slice(slash + 1)), key);
    }
    assert.equal(messageTypeFor('v1', 'toString'), undefined);
  });
});

test('content types', () => {
  assert.equal(isKubernetesProtobuf('application/vnd.kubernetes.protobuf'), true);
  assert.equal(isKubernetesProtobuf('Application/VND.Kubernetes.Protobuf; charset=binary'), true);
  assert.equal(isKubernetesProtobuf('application/json'), false);
  assert.equal(isKubernetesProtobuf('application/vnd.kubernetes.protobuf;stream=watch'), true);
  assert.equal(isKubernetesProtobuf(undefined), false);
});
