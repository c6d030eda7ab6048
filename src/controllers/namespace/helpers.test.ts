import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeConditions, namespaceConditions } from './conditions.js';
import { deletableNamespaced } from './discovery.js';

describe('namespace deletion helpers', () => {
  it('keeps only deletable namespaced resources, no subresources', () => {
    const got = deletableNamespaced('apps', 'v1', {
      resources: [
        { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['list', 'delete', 'deletecollection'] },
        { name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get', 'patch'] },
        { name: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true, verbs: ['get'] },
        { name: 'things', kind: 'Thing', namespaced: false, verbs: ['delete'] },
      ],
    });
    assert.deepEqual(got.map((r) => `${r.resource}.${r.group}/${r.version}`), ['deployments.apps/v1']);
  });
  it('reports upstream conditions: all clear, or what remains', () => {
    const ok = namespaceConditions({ discoveryFailures: [], deleteFailures: [], remaining: new Map(), finalizers: new Map() });
    assert.deepEqual(ok.map((c) => [c.type, c.status, c.reason]), [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
    const busy = namespaceConditions({ discoveryFailures: [], deleteFailures: [], remaining: new Map([['pods.', 2], ['configmaps.', 1]]), finalizers: new Map([['example.com/hold', 1]]) });
    assert.equal(busy[3]!.message, 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances');
    assert.equal(busy[4]!.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(busy[4]!.reason, 'SomeFinalizersRemain');
  });
  it('keeps transition times of unchanged conditions', () => {
    const old = [{ type: 'A', status: 'False', reason: 'x', lastTransitionTime: '2020-01-01T00:00:00Z' }];
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(mergeConditions(old, [{ type: 'A', status: 'False', reason: 'y' }], now)[0]!.lastTransitionTime, '2020-01-01T00:00:00Z');
    assert.equal(mergeConditions(old, [{ type: 'A', status: 'True', reason: 'y' }], now)[0]!.lastTransitionTime, '2026-01-01T00:00:00Z');
  });
});
