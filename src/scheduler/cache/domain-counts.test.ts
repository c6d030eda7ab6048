import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainCountCache, type DomainCounter } from './domain-counts.js';
import type { NodeInfo } from './node-info.js';
import { makeCache, makeNode, makePod } from '../testing/fixtures.js';

const ZONE = 'topology.kubernetes.io/zone';

const counter: DomainCounter = {
  topologyKeys: [ZONE],
  eligible: (ni: NodeInfo) => ni.labels.pool !== 'excluded',
  count: (ni: NodeInfo) => ni.pods.filter((p) => p.labels.app === 'web').length,
};

function bruteForce(nodes: readonly NodeInfo[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const ni of nodes) {
    const v = ni.labels[ZONE];
    if (v === undefined || !counter.eligible(ni)) continue;
    m.set(v, (m.get(v) ?? 0) + counter.count(ni, 0));
  }
  return m;
}

test('incremental domain counts equal a full recount after every kind of change', () => {
  const cache = makeCache([]);
  const dc = new DomainCountCache();
  // A fixed pseudo-random sequence of operations (mulberry32).
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const seen = new Set<number>();
  const pods: ReturnType<typeof makePod>[] = [];
  for (let step = 0; step < 400; step++) {
    const op = rnd(6);
    seen.add(op);
    const node = `n${rnd(12)}`;
    if (op === 0) cache.addNode(makeNode(node, { labels: { [ZONE]: `z${rnd(3)}`, ...(rnd(4) === 0 ? { pool: 'excluded' } : {}) } }));
    else if (op === 1) cache.removeNode(node);
    else if (op <= 4) {
      const p = makePod(`p${step}`, { node, labels: { app: rnd(2) ? 'web' : 'db' } });
      cache.addPod(p);
      pods.push(p);
    } else if (pods.length) cache.removePod(pods.splice(rnd(pods.length), 1)[0]!);
    if (step % 7 === 0) assert.deepEqual(dc.counts(cache, 'k', counter)[0], bruteForce(cache.list()), `step ${step}`);
  }
  assert.deepEqual(dc.counts(cache, 'k', counter)[0], bruteForce(cache.list()));
  assert.equal(seen.size, 6, 'every operation was exercised');
});

test('callers get copies they may change', () => {
  const cache = makeCache([makeNode('a', { labels: { [ZONE]: 'z' } })], [makePod('w', { node: 'a', labels: { app: 'web' } })]);
  const dc = new DomainCountCache();
  const first = dc.counts(cache, 'k', counter)[0]!;
  first.set('z', 99);
  assert.equal(dc.counts(cache, 'k', counter)[0]!.get('z'), 1);
});
