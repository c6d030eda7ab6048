import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { IndexConflictError, NAMESPACE_INDEX, objectKey, OWNER_UID_INDEX, splitKey, Store } from './store.js';

const pod = (ns: string, name: string, node?: string, owner?: string): KubeObject => ({
  metadata: { namespace: ns, name, ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] : undefined },
  spec: { nodeName: node },
});
const nodeName = (o: KubeObject) => {
  const n = (o.spec as { nodeName?: string } | undefined)?.nodeName;
  return n ? [n] : [];
};
const names = (objs: KubeObject[]) => objs.map(objectKey).sort();

describe('Store', () => {
  it('keys objects by namespace/name and splits keys back', () => {
    assert.equal(objectKey(pod('a', 'p')), 'a/p');
    assert.equal(objectKey({ metadata: { name: 'n1' } }), 'n1');
    assert.deepEqual(splitKey('a/p'), { namespace: 'a', name: 'p' });
    assert.deepEqual(splitKey('n1'), { namespace: '', name: 'n1' });
  });

  it('keeps the built-in namespace and owner-uid indexes current through updates and deletes', () => {
    const s = new Store();
    s.upsert(pod('a', 'p1', undefined, 'rs-1'));
    s.upsert(pod('a', 'p2', undefined, 'rs-1'));
    s.upsert(pod('b', 'p3', undefined, 'rs-2'));
    assert.deepEqual(names(s.byIndex(NAMESPACE_INDEX, 'a')), ['a/p1', 'a/p2']);
    assert.deepEqual(names(s.byIndex(OWNER_UID_INDEX, 'rs-1')), ['a/p1', 'a/p2']);
    s.upsert(pod('a', 'p2', undefined, 'rs-2')); // adopted by another owner
    assert.deepEqual(names(s.byIndex(OWNER_UID_INDEX, 'rs-1')), ['a/p1']);
    assert.deepEqual(names(s.byIndex(OWNER_UID_INDEX, 'rs-2')), ['a/p2', 'b/p3']);
    assert.equal(s.deleteKey('a/p1')?.metadata.name, 'p1');
    assert.deepEqual(s.byIndex(OWNER_UID_INDEX, 'rs-1'), []);
    assert.deepEqual(s.indexValues(OWNER_UID_INDEX), ['rs-2']);
    assert.equal(s.size, 2);
  });

  it('adds custom indexers, indexing objects already present', () => {
    const s = new Store();
    s.upsert(pod('a', 'p1', 'n1'));
    s.upsert(pod('a', 'p2'));
    s.addIndexer('node', nodeName);
    assert.deepEqual(names(s.byIndex('node', 'n1')), ['a/p1']);
    s.upsert(pod('a', 'p2', 'n1'));
    s.upsert(pod('a', 'p1', 'n2'));
    assert.deepEqual(names(s.byIndex('node', 'n1')), ['a/p2']);
    assert.deepEqual(names(s.byIndex('node', 'n2')), ['a/p1']);
    assert.throws(() => s.addIndexer('node', nodeName), IndexConflictError);
    assert.throws(() => s.byIndex('nope', 'x'), IndexConflictError);
  });
});
