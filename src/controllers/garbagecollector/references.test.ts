import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import { blocksOwner, classify, deletePolicyFor, isDeletingDependents, removeFinalizerPatch, removeOwnersPatch } from './references.js';

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, blockOwnerDeletion: block });
const obj = (refs: OwnerReference[], finalizers?: string[], deleting = false): KubeObject => ({
  metadata: { name: 'x', resourceVersion: '7', ownerReferences: refs, finalizers, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
});

describe('garbage collector references', () => {
  it('classifies owners as solid, dangling or waiting', () => {
    const states: Record<string, 'absent' | 'present' | 'deletingDependents'> = { a: 'present', b: 'absent', c: 'deletingDependents' };
    const c = classify([ref('a'), ref('b'), ref('c')], (r) => states[r.uid]!);
    assert.deepEqual([c.solid.map((r) => r.uid), c.dangling.map((r) => r.uid), c.waiting.map((r) => r.uid)], [['a'], ['b'], ['c']]);
  });
  it('picks the delete policy from existing finalizers', () => {
    assert.equal(deletePolicyFor(obj([], ['orphan'])), 'Orphan');
    assert.equal(deletePolicyFor(obj([], ['foregroundDeletion'])), 'Foreground');
    assert.equal(deletePolicyFor(obj([])), 'Background');
  });
  it('builds guarded patches that drop references and finalizers', () => {
    assert.deepEqual(removeOwnersPatch(obj([ref('a'), ref('b')]), new Set(['a'])), { metadata: { ownerReferences: [ref('b')], resourceVersion: '7' } });
    assert.deepEqual(removeOwnersPatch(obj([ref('a')]), new Set(['a'])), { metadata: { ownerReferences: null, resourceVersion: '7' } });
    assert.deepEqual(removeFinalizerPatch(obj([], ['foregroundDeletion', 'x']), 'foregroundDeletion'), { metadata: { finalizers: ['x'], resourceVersion: '7' } });
    assert.deepEqual(removeFinalizerPatch(obj([], ['orphan']), 'orphan'), { metadata: { finalizers: null, resourceVersion: '7' } });
  });
  it('knows blocking dependents and foreground owners', () => {
    assert.ok(blocksOwner(obj([ref('a', true)]), 'a'));
    assert.ok(!blocksOwner(obj([ref('a', false)]), 'a'));
    assert.ok(isDeletingDependents(obj([], ['foregroundDeletion'], true)));
    assert.ok(!isDeletingDependents(obj([], ['foregroundDeletion'], false)));
  });
});
