import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cachedObject, copyObject, encodeObject, jsonOf } from './storage-codec.js';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', labels: { app: 'x' }, managedFields: [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }] },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('storage codec', () => {
  it('copyObject of a written object parses its known JSON into an equal, independent copy', () => {
    const obj = pod();
    const value = encodeObject(obj);
    const cached = cachedObject({ value, modRevision: 7 });
    assert.equal(cached, obj, 'the writer\'s object is the cached one');
    const copy = copyObject(cached);
    assert.notEqual(copy, cached);
    assert.deepEqual(copy, cached);
    assert.equal(copy.metadata.resourceVersion, '7');
    (copy.metadata.labels as Record<string, string>).app = 'changed';
    const fieldsOf = (o: KubeObject) => (o.metadata.managedFields as { fieldsV1: Record<string, unknown> }[])[0]!.fieldsV1;
    fieldsOf(copy)['f:x'] = {};
    assert.equal(cached.metadata.labels!.app, 'x');
    assert.deepEqual(fieldsOf(cached), { 'f:spec': {} });
    assert.equal(JSON.parse(jsonOf(cached)).metadata.labels.app, 'x');
  });

  it('copyObject deep-copies an object whose JSON is not known', () => {
    const obj = pod();
    const copy = copyObject(obj);
    assert.deepEqual(copy, obj);
    copy.spec = {};
    assert.deepEqual((obj.spec as { containers: unknown[] }).containers.length, 1);
  });
});
