import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashRevisionData, newControllerRevision, revisionsToPrune, templateFromRevision, templatePatch, type ControllerRevision } from './controller-revision.js';

const rev = (name: string, revision: number): ControllerRevision => ({ metadata: { name }, revision });

describe('controller revisions', () => {
  it('hashes equal data equally and collisionCount changes the hash', () => {
    const d = templatePatch({ spec: { containers: [{ name: 'c' }] } });
    assert.equal(hashRevisionData(d), hashRevisionData(structuredClone(d)));
    assert.notEqual(hashRevisionData(d), hashRevisionData(d, 1));
    assert.match(hashRevisionData(d), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('builds a named, labelled revision whose template round-trips', () => {
    const template = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } };
    const r = newControllerRevision({ parent: { metadata: { name: 'web', namespace: 'ns' } }, ownerRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u' }, labels: { a: 'b' }, data: templatePatch(template), revision: 3, hashLabel: 'h' });
    assert.equal(r.metadata.name, `web-${r.metadata.labels?.h}`);
    assert.equal(r.revision, 3);
    assert.deepEqual(templateFromRevision(r), template);
  });

  it('prunes the oldest revisions that are not live beyond the limit', () => {
    const revs = [rev('a', 1), rev('b', 2), rev('c', 3), rev('d', 4)];
    assert.deepEqual(revisionsToPrune(revs, new Set(['a', 'd']), 1).map((r) => r.metadata.name), ['b']);
    assert.deepEqual(revisionsToPrune(revs, new Set(['d']), 5), []);
  });
});
