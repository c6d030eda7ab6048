import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelSelectorFromObject } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import { Store } from '../../client/store.js';
import { claimCandidates, claimDecision, ownerRefTo } from './claim.js';

const owner: KubeObject = { metadata: { name: 'web', uid: 'rs-1' } };
const sel = labelSelectorFromObject({ matchLabels: { app: 'web' } });
const obj = (labels: Record<string, string>, ownerUid?: string, deleting = false): KubeObject => ({
  metadata: {
    name: 'p',
    labels,
    ...(ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: ownerUid, controller: true }] } : {}),
    ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
});

describe('claimDecision', () => {
  it('keeps matching owned objects and releases non-matching ones', () => {
    assert.equal(claimDecision(obj({ app: 'web' }, 'rs-1'), owner, sel), 'keep');
    assert.equal(claimDecision(obj({ app: 'db' }, 'rs-1'), owner, sel), 'release');
    assert.equal(claimDecision(obj({ app: 'db' }, 'rs-1', true), owner, sel), 'ignore');
  });
  it('adopts matching orphans unless either side is being deleted', () => {
    assert.equal(claimDecision(obj({ app: 'web' }), owner, sel), 'adopt');
    assert.equal(claimDecision(obj({ app: 'web' }, undefined, true), owner, sel), 'ignore');
    assert.equal(claimDecision(obj({ app: 'web' }), { metadata: { ...owner.metadata, deletionTimestamp: 'x' } }, sel), 'ignore');
    assert.equal(claimDecision(obj({ app: 'db' }), owner, sel), 'ignore');
  });
  it('never touches what another controller owns', () => {
    assert.equal(claimDecision(obj({ app: 'web' }, 'other'), owner, sel), 'ignore');
  });
  it('builds controller references that block owner deletion', () => {
    assert.deepEqual(ownerRefTo(owner, 'apps/v1', 'ReplicaSet'), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true, blockOwnerDeletion: true });
  });
});

describe('claimCandidates', () => {
  const pod = (name: string, namespace: string, refs: { uid: string; controller?: boolean }[] = []): KubeObject => ({
    metadata: { name, namespace, ownerReferences: refs.map((r) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', ...r })) },
  });
  const rs: KubeObject = { metadata: { name: 'web', namespace: 'a', uid: 'rs-1' } };
  it('returns what the owner is referenced by plus the namespace orphans, each once, and nothing else', () => {
    const store = new Store<KubeObject>();
    for (const p of [
      pod('mine', 'a', [{ uid: 'rs-1', controller: true }]),
      pod('orphan', 'a'),
      pod('also-mine-not-controller', 'a', [{ uid: 'rs-1' }]),
      pod('theirs', 'a', [{ uid: 'rs-2', controller: true }]),
      pod('orphan-elsewhere', 'b'),
    ])
      store.upsert(p);
    const names = () => claimCandidates(store, rs).map((o) => o.metadata.name).sort();
    assert.deepEqual(names(), ['also-mine-not-controller', 'mine', 'orphan']);
    // The orphan index follows updates: adopted by another controller, it is no longer a candidate.
    store.upsert(pod('orphan', 'a', [{ uid: 'rs-2', controller: true }]));
    assert.deepEqual(names(), ['also-mine-not-controller', 'mine']);
  });
});
