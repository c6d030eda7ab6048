import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controllerRef, deepCopyJSON, deepEqualJSON, generateName, isControlledBy, NAME_ALPHABET, type KubeObject } from './meta.js';

describe('generateName', () => {
  it('appends 5 characters from the injected random source', () => {
    const picks = [0, 1, 2, 25, 26];
    let i = 0;
    assert.equal(generateName('web-', () => picks[i++]!), 'web-bcd89');
  });

  it('draws only from the upstream alphabet by default', () => {
    const name = generateName('x-');
    assert.match(name, /^x-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(NAME_ALPHABET.length, 27);
  });

  it('cuts the base to 58 characters so the name fits in 63', () => {
    const name = generateName('a'.repeat(70), () => 0);
    assert.equal(name.length, 63);
    assert.equal(name, `${'a'.repeat(58)}bbbbb`);
  });
});

describe('controllerRef / isControlledBy', () => {
  const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'u-rs' } };
  const pod: KubeObject = {
    metadata: {
      name: 'p',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u-cm' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-rs', controller: true },
      ],
    },
  };
  it('finds the controller reference', () => {
    assert.equal(controllerRef(pod)?.uid, 'u-rs');
    assert.equal(controllerRef({ metadata: {} }), undefined);
    assert.equal(controllerRef({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] } }), undefined);
  });
  it('matches the owner by uid', () => {
    assert.ok(isControlledBy(pod, owner));
    assert.ok(!isControlledBy(pod, { metadata: { name: 'rs', uid: 'other' } }));
    assert.ok(!isControlledBy(pod, { metadata: { name: 'cm', uid: 'u-cm' } }), 'a non-controller owner does not control');
    assert.ok(!isControlledBy({ metadata: {} }, { metadata: {} }));
  });
});

describe('deepEqualJSON / deepCopyJSON', () => {
  it('ignores key order and undefined-valued keys', () => {
    assert.ok(deepEqualJSON({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }));
    assert.ok(deepEqualJSON({ a: 1, x: undefined }, { a: 1 }));
    assert.ok(deepEqualJSON(null, null));
  });
  it('distinguishes values, types and list order', () => {
    assert.ok(!deepEqualJSON({ a: 1 }, { a: 2 }));
    assert.ok(!deepEqualJSON({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(!deepEqualJSON([1, 2], [2, 1]));
    assert.ok(!deepEqualJSON({}, []));
    assert.ok(!deepEqualJSON({ a: null }, {}));
    assert.ok(!deepEqualJSON('1', 1));
  });
  it('copies deeply', () => {
    const a = { x: { y: [1, { z: 2 }] } };
    const b = deepCopyJSON(a);
    assert.ok(deepEqualJSON(a, b));
    (b.x.y[1] as { z: number }).z = 3;
    assert.equal((a.x.y[1] as { z: number }).z, 2);
  });
});
