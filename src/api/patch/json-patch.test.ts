import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from './errors.js';
import { applyJsonPatch } from './json-patch.js';

function failsWith(fn: () => unknown, status: number, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError, `expected PatchError, got ${String(e)}`);
    assert.equal(e.status, status);
    assert.equal(e.reason, status === 400 ? 'BadRequest' : 'Invalid');
    assert.match(e.message, message);
    return true;
  });
}

describe('applyJsonPatch (RFC 6902)', () => {
  const original = { metadata: { name: 'x', labels: { a: '1' } }, spec: { replicas: 1, containers: [{ name: 'c', image: 'i:1' }] } };

  it('applies add, replace, remove, move, copy and test', () => {
    const out = applyJsonPatch(original, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'i:2' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'd' } },
      { op: 'copy', from: '/metadata/name', path: '/metadata/generateName' },
      { op: 'move', from: '/metadata/labels', path: '/metadata/annotations' },
    ]);
    assert.deepEqual(out, {
      metadata: { name: 'x', generateName: 'x', annotations: { b: '2' } },
      spec: { replicas: 3, containers: [{ name: 'c', image: 'i:2' }, { name: 'd' }] },
    });
    assert.equal(original.spec.replicas, 1, 'input untouched');
    assert.deepEqual(original.metadata.labels, { a: '1' });
  });

  it('handles escaped path segments', () => {
    const out = applyJsonPatch({ metadata: { annotations: {} } }, [
      { op: 'add', path: '/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: 'now' },
    ]);
    assert.deepEqual(out, { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } });
  });

  it('fails a test operation with 422 and leaves nothing half-applied', () => {
    failsWith(
      () => applyJsonPatch(original, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/metadata/name', value: 'y' }]),
      422,
      /^testing value \/metadata\/name failed: test failed$/,
    );
    assert.equal(original.spec.replicas, 1);
  });

  it('answers 422 for operations that do not apply', () => {
    failsWith(() => applyJsonPatch(original, [{ op: 'remove', path: '/spec/nope' }]), 422, /^remove operation does not apply: doc is missing path: "\/spec\/nope"/);
    failsWith(() => applyJsonPatch(original, [{ op: 'replace', path: '/status/phase', value: 'x' }]), 422, /^replace operation does not apply/);
    failsWith(() => applyJsonPatch(original, [{ op: 'add', path: '/spec/containers/5', value: {} }]), 422, /does not apply/);
    failsWith(() => applyJsonPatch(original, [{ op: 'move', from: '/nope', path: '/x' }]), 422, /missing from path/);
  });

  it('answers 400 for malformed patches', () => {
    failsWith(() => applyJsonPatch(original, { op: 'add' }), 400, /cannot unmarshal object/);
    failsWith(() => applyJsonPatch(original, [{ op: 'frobnicate', path: '/a' }]), 400, /^Unexpected kind: frobnicate$/);
    failsWith(() => applyJsonPatch(original, [{ op: 'add', path: '/a' }]), 400, /value/i);
    failsWith(() => applyJsonPatch(original, ['x']), 400, /object/i);
  });
});
