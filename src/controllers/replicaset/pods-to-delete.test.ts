import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../client/types.js';
import { podDeletionCost, podsToDelete } from './pods-to-delete.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

interface P { name: string; node?: string; phase?: string; ready?: boolean; readyAgo?: number; createdAgo?: number; restarts?: number; cost?: string }
function pod(p: P): Pod {
  const conditions = p.ready === undefined ? [] : [{ type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: ago(p.readyAgo ?? 100) }];
  return {
    metadata: { name: p.name, uid: `uid-${p.name}`, creationTimestamp: ago(p.createdAgo ?? 1000), annotations: p.cost ? { 'controller.kubernetes.io/pod-deletion-cost': p.cost } : {} },
    spec: { containers: [{ name: 'c' }], ...(p.node ? { nodeName: p.node } : {}) },
    status: { phase: p.phase ?? 'Running', conditions, containerStatuses: [{ name: 'c', restartCount: p.restarts ?? 0 }] },
  };
}
const names = (ps: Pod[]) => ps.map((p) => p.metadata.name);
const order = (ps: Pod[]) => names(podsToDelete(ps, ps, ps.length - 1, NOW));

describe('podsToDelete ranks as upstream', () => {
  it('unassigned before assigned', () => {
    assert.deepEqual(names(podsToDelete([pod({ name: 'a', node: 'n1' }), pod({ name: 'b' })], [], 1, NOW)), ['b']);
  });
  it('Pending < Unknown < Running', () => {
    const ps = [pod({ name: 'run', node: 'n', phase: 'Running' }), pod({ name: 'unk', node: 'n', phase: 'Unknown' }), pod({ name: 'pend', node: 'n', phase: 'Pending' })];
    assert.deepEqual(order(ps), ['pend', 'unk']);
  });
  it('not ready before ready', () => {
    assert.deepEqual(names(podsToDelete([pod({ name: 'r', node: 'n', ready: true }), pod({ name: 'nr', node: 'n', ready: false })], [], 1, NOW)), ['nr']);
  });
  it('lower pod-deletion-cost first, before node crowding', () => {
    const ps = [pod({ name: 'cheap', node: 'n1', cost: '-5' }), pod({ name: 'dear', node: 'n2', cost: '10' }), pod({ name: 'mid', node: 'n2' })];
    assert.deepEqual(order(ps), ['cheap', 'mid']);
    assert.equal(podDeletionCost(pod({ name: 'x', cost: 'abc' })), 0);
    assert.equal(podDeletionCost(pod({ name: 'x', cost: '99999999999' })), 0);
  });
  it('pods doubled up on a node with related pods first', () => {
    const a = pod({ name: 'alone', node: 'n1' });
    const b = pod({ name: 'crowded', node: 'n2' });
    const sibling = pod({ name: 'sibling', node: 'n2' });
    assert.deepEqual(names(podsToDelete([a, b], [a, b, sibling], 1, NOW)), ['crowded']);
  });
  it('ready for less time first, on a logarithmic scale', () => {
    const young = pod({ name: 'young', node: 'n', ready: true, readyAgo: 10 });
    const old = pod({ name: 'old', node: 'n', ready: true, readyAgo: 10_000 });
    assert.deepEqual(names(podsToDelete([old, young], [], 1, NOW)), ['young']);
    // 100 s and 101 s are in the same power-of-two bucket: tie broken by uid.
    const p1 = pod({ name: 'b', node: 'n', ready: true, readyAgo: 100 });
    const p2 = pod({ name: 'a', node: 'n', ready: true, readyAgo: 101 });
    assert.deepEqual(names(podsToDelete([p1, p2], [], 1, NOW)), ['a']);
  });
  it('more restarts first, then newer first', () => {
    assert.deepEqual(names(podsToDelete([pod({ name: 'stable', node: 'n' }), pod({ name: 'flaky', node: 'n', restarts: 3 })], [], 1, NOW)), ['flaky']);
    assert.deepEqual(names(podsToDelete([pod({ name: 'old', node: 'n', createdAgo: 50_000 }), pod({ name: 'new', node: 'n', createdAgo: 5 })], [], 1, NOW)), ['new']);
  });
  it('returns everything when asked for at least all', () => {
    const ps = [pod({ name: 'a' }), pod({ name: 'b' })];
    assert.equal(podsToDelete(ps, ps, 5, NOW).length, 2);
  });
});
