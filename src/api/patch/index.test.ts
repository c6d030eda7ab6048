import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch, isPatchContentType, PatchError } from './index.js';

const deploy = { apiVersion: 'apps/v1', kind: 'Deployment' };
const original = { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } } } };
const containerPatch = { spec: { template: { spec: { containers: [{ name: 'b', image: '3' }] } } } };

describe('applyPatch', () => {
  it('dispatches on the Content-Type', () => {
    const smp = applyPatch<typeof original>('application/strategic-merge-patch+json', original, containerPatch, deploy);
    assert.deepEqual(smp.spec.template.spec.containers, [{ name: 'a', image: '1' }, { name: 'b', image: '3' }]);
    const merge = applyPatch<typeof original>('application/merge-patch+json; charset=utf-8', original, containerPatch, deploy);
    assert.deepEqual(merge.spec.template.spec.containers, [{ name: 'b', image: '3' }], 'merge patch replaces lists');
    const json = applyPatch<typeof original>('application/json-patch+json', original, [{ op: 'remove', path: '/spec/template/spec/containers/0' }], deploy);
    assert.deepEqual(json.spec.template.spec.containers, [{ name: 'b', image: '2' }]);
  });

  it('refuses strategic merge for custom resources and unknown types with 415', () => {
    for (const [ct, type] of [
      ['application/strategic-merge-patch+json', { apiVersion: 'example.com/v1', kind: 'Widget' }],
      ['application/xml', deploy],
    ] as const) {
      assert.throws(
        () => applyPatch(ct, {}, {}, type),
        (e: unknown) => e instanceof PatchError && e.status === 415 && e.reason === 'UnsupportedMediaType',
      );
    }
    assert.deepEqual(applyPatch('application/merge-patch+json', { a: 1 }, { b: 2 }, { apiVersion: 'example.com/v1', kind: 'Widget' }), { a: 1, b: 2 });
  });

  it('recognises the patch content types', () => {
    assert.ok(isPatchContentType('application/json-patch+json'));
    assert.ok(!isPatchContentType('application/apply-patch+yaml'));
  });
});
