import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { planClaims } from './claim.js';

const owner: KubeObject = { metadata: { name: 'o', uid: 'ou' } };
const obj = (name: string, labels: Record<string, string>, controllerUid?: string, deleting = false): KubeObject => ({
  metadata: {
    name,
    labels,
    ...(controllerUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: controllerUid, controller: true }] } : {}),
    ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
  },
});

describe('planClaims', () => {
  it('keeps matching owned objects, adopts matching orphans, releases non-matching owned ones', () => {
    const objs = [obj('mine', { a: '1' }, 'ou'), obj('orphan', { a: '1' }), obj('strayed', { a: '2' }, 'ou'), obj('theirs', { a: '1' }, 'other'), obj('dying-orphan', { a: '1' }, undefined, true)];
    const p = planClaims(owner, { matchLabels: { a: '1' } }, objs);
    assert.deepEqual(p.owned.map((o) => o.metadata.name), ['mine']);
    assert.deepEqual(p.adopt.map((o) => o.metadata.name), ['orphan']);
    assert.deepEqual(p.release.map((o) => o.metadata.name), ['strayed']);
  });

  it('adopts and releases nothing while the owner is being deleted', () => {
    const p = planClaims({ metadata: { uid: 'ou', deletionTimestamp: 'x' } }, { matchLabels: { a: '1' } }, [obj('orphan', { a: '1' }), obj('strayed', { a: '2' }, 'ou')]);
    assert.deepEqual([p.adopt.length, p.release.length, p.owned.length], [0, 0, 1]);
  });
});
