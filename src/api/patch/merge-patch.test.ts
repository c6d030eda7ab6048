import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from './errors.js';
import { applyMergePatch } from './merge-patch.js';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects, deletes nulls and replaces lists', () => {
    const original = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, list: [1, 2] } };
    const out = applyMergePatch(original, { metadata: { labels: { b: null, c: '3' } }, spec: { replicas: 5, list: [3] } });
    assert.deepEqual(out, { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 5, list: [3] } });
  });

  it('handles kubectl label and scale patches', () => {
    assert.deepEqual(applyMergePatch({ metadata: { name: 'x' } }, { metadata: { labels: { env: 'prod' } } }), {
      metadata: { name: 'x', labels: { env: 'prod' } },
    });
    assert.deepEqual(applyMergePatch({ spec: { replicas: 1, selector: 'a' } }, { spec: { replicas: 5 } }), { spec: { replicas: 5, selector: 'a' } });
  });

  it('follows the RFC 7386 examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [o, p, want] of cases) assert.deepEqual(applyMergePatch(o, p), want, JSON.stringify([o, p]));
  });

  it('does not modify its inputs', () => {
    const original = { a: { b: 1 } };
    const patch = { a: { c: [1] } };
    const out = applyMergePatch<{ a: { c: number[] } }>(original, patch);
    out.a.c.push(2);
    assert.deepEqual(original, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: [1] } });
  });

  it('rejects a patch that is not an object', () => {
    for (const p of [[], 'x', null, 3]) {
      assert.throws(() => applyMergePatch({}, p), (e: unknown) => e instanceof PatchError && e.status === 400);
    }
  });
});
