import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numFeasibleNodesToFind, scheduleOne, selectHost } from './scheduler.js';
import { defaultFramework, makeCache, makeNode, makePod } from './testing/fixtures.js';
import { Nominator } from './queue/nominator.js';

const CONTROL_PLANE = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

test('FailedScheduling message matches upstream format, reasons sorted, with preemption summary', () => {
  const cache = makeCache(
    [makeNode('cp', { taints: [CONTROL_PLANE] }), makeNode('w1', { cpu: '1' }), makeNode('w2', { cpu: '1' })],
  );
  const out = scheduleOne(makePod('big', { cpu: '2' }), cache, defaultFramework());
  assert.equal(out.status, 'Unschedulable');
  assert.equal(
    out.status === 'Unschedulable' && out.message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
  assert.deepEqual(out.status === 'Unschedulable' && [...out.diagnosis.unschedulablePlugins].sort(), ['NodeResourcesFit', 'TaintToleration']);
});

test('a node with several failing resources counts each reason once', () => {
  const cache = makeCache([makeNode('a', { cpu: '1', memory: '1Gi' }), makeNode('b', { cpu: '1', memory: '1Gi', unschedulable: true })]);
  const out = scheduleOne(makePod('p', { cpu: '2', memory: '2Gi', spec: { preemptionPolicy: 'Never' } }), cache, defaultFramework());
  assert.equal(
    out.status === 'Unschedulable' && out.message,
    '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never.',
  );
});

test('schedules onto the least allocated node and reports per-plugin scores', () => {
  const cache = makeCache([makeNode('busy'), makeNode('idle')], [makePod('x', { node: 'busy', cpu: '3', memory: '6Gi' })]);
  const out = scheduleOne(makePod('p', { cpu: '500m', memory: '512Mi' }), cache, defaultFramework());
  assert.equal(out.status, 'Scheduled');
  if (out.status !== 'Scheduled') return;
  assert.equal(out.node, 'idle');
  assert.equal(out.feasibleNodes, 2);
  const idle = out.scores.find((s) => s.name === 'idle')!;
  const busy = out.scores.find((s) => s.name === 'busy')!;
  assert.ok(idle.total > busy.total);
  assert.ok(idle.scores.some((s) => s.plugin === 'NodeResourcesFit'));
});

test('numFeasibleNodesToFind follows the adaptive percentage', () => {
  assert.equal(numFeasibleNodesToFind(undefined, 50), 50);
  assert.equal(numFeasibleNodesToFind(undefined, 100), 100); // 49% of 100 < 100 → 100
  assert.equal(numFeasibleNodesToFind(undefined, 1000), 420); // 50 - 8 = 42%
  assert.equal(numFeasibleNodesToFind(undefined, 5000), 500); // 50 - 40 = 10%
  assert.equal(numFeasibleNodesToFind(undefined, 10000), 500); // floor 5%
  assert.equal(numFeasibleNodesToFind(30, 1000), 300);
  assert.equal(numFeasibleNodesToFind(1, 1000), 100);
});

test('filtering stops after enough feasible nodes and resumes round-robin', () => {
  const nodes = Array.from({ length: 1000 }, (_, i) => makeNode(`n${String(i).padStart(4, '0')}`));
  const cache = makeCache(nodes);
  const cursor = { nextStartNodeIndex: 0 };
  const fw = defaultFramework();
  const out = scheduleOne(makePod('p', { cpu: '100m' }), cache, fw, { cursor });
  assert.equal(out.status === 'Scheduled' && out.feasibleNodes, 420);
  assert.equal(cursor.nextStartNodeIndex, 420);
});

test('selectHost breaks ties with the injected random', () => {
  const scores = [
    { name: 'a', scores: [], total: 5 },
    { name: 'b', scores: [], total: 7 },
    { name: 'c', scores: [], total: 7 },
  ];
  assert.equal(selectHost(scores, () => 0), 'c'); // replace on every tie
  assert.equal(selectHost(scores, () => 1), 'b'); // keep the first max
});

test('preemption nominates a node and picks the minimal victims', () => {
  const cache = makeCache(
    [makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' })],
    [
      makePod('low1', { node: 'n1', cpu: '1', priority: 1 }),
      makePod('low2', { node: 'n1', cpu: '1', priority: 1 }),
      makePod('mid', { node: 'n2', cpu: '1', priority: 5 }),
      makePod('low3', { node: 'n2', cpu: '1', priority: 1 }),
    ],
  );
  const out = scheduleOne(makePod('hi', { cpu: '1', priority: 10 }), cache, defaultFramework());
  assert.equal(out.status, 'Unschedulable');
  if (out.status !== 'Unschedulable') return;
  // n1: one victim of priority 1; n2: one victim (low3, priority 1) — equal; sums equal; tie → first in order.
  assert.equal(out.victims?.length, 1);
  assert.equal(out.victims?.[0]?.spec?.priority, 1);
  assert.ok(out.message.startsWith('0/2 nodes are available: 2 Insufficient cpu.'));
  assert.ok(!out.message.includes('preemption'));
});

test('PreFilter rejection reports its message instead of the per-node histogram', () => {
  const cache = makeCache([makeNode('a'), makeNode('b')]);
  const pod = makePod('p', {
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['nope'] }] }],
          },
        },
      },
    },
  });
  const out = scheduleOne(pod, cache, defaultFramework());
  assert.equal(out.status, 'Unschedulable');
  assert.match(out.status === 'Unschedulable' ? out.message : '', /^0\/2 nodes are available: 2 node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\. preemption: 0\/2 nodes are available: 2 Preemption is not helpful for scheduling\.$/);
});

test('nominated pods of equal or higher priority hold their room', () => {
  const cache = makeCache([makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' })]);
  const nominator = new Nominator();
  nominator.add(makePod('preemptor', { cpu: '2', priority: 100 }), 'n1');
  const low = scheduleOne(makePod('low', { cpu: '1', priority: 1 }), cache, defaultFramework(), { nominated: nominator });
  assert.equal(low.status === 'Scheduled' && low.node, 'n2');
  // A more important pod ignores the nomination.
  const vip = scheduleOne(makePod('vip', { cpu: '2', priority: 1000, spec: { nodeSelector: { 'kubernetes.io/hostname': 'n1' } } }), cache, defaultFramework(), {
    nominated: nominator,
  });
  assert.equal(vip.status === 'Scheduled' && vip.node, 'n1');
  // The nominated pod itself is not counted twice.
  const self = scheduleOne(makePod('preemptor', { cpu: '2', priority: 100 }), makeCache([makeNode('n1', { cpu: '2' })]), defaultFramework(), {
    nominated: nominator,
  });
  assert.equal(self.status, 'Scheduled');
});

/** Schedules pods one after another, assuming each, as the real loop does. */
function scheduleAll(pods: ReturnType<typeof makePod>[], cache: ReturnType<typeof makeCache>): string[] {
  const fw = defaultFramework();
  return pods.map((p) => {
    const out = scheduleOne(p, cache, fw);
    if (out.status !== 'Scheduled') return `-${out.status}`;
    cache.assumePod(p, out.node);
    return out.node;
  });
}

test('across cycles, zone spread keeps every zone within maxSkew (incremental domain counts)', () => {
  const zones = ['a', 'b', 'c'];
  const cache = makeCache(Array.from({ length: 9 }, (_, i) => makeNode(`n${i}`, { labels: { 'topology.kubernetes.io/zone': zones[i % 3]! } })));
  const pods = Array.from({ length: 9 }, (_, i) =>
    makePod(`w${i}`, {
      cpu: '100m',
      labels: { app: 'web' },
      spec: {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
        ],
      },
    }),
  );
  const placed = scheduleAll(pods, cache);
  const perZone = new Map<string, number>();
  placed.forEach((n, i) => {
    const z = zones[Number(n.slice(1)) % 3]!;
    perZone.set(z, (perZone.get(z) ?? 0) + 1);
    // After every placement the skew is at most 1.
    const counts = zones.map((zz) => perZone.get(zz) ?? 0);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `after pod ${i}: ${counts}`);
  });
  assert.deepEqual([...perZone.values()], [3, 3, 3]);
});

test('across cycles, preferred anti-affinity puts each replica on its own node', () => {
  // Resource scoring alone would stack all three on the idle n0.
  const cache = makeCache(
    [makeNode('n0'), makeNode('n1'), makeNode('n2')],
    [makePod('x1', { node: 'n1', cpu: '2', memory: '4Gi', labels: { app: 'other' } }), makePod('x2', { node: 'n2', cpu: '2', memory: '4Gi', labels: { app: 'other' } })],
  );
  const anti = {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    },
  };
  const pods = Array.from({ length: 3 }, (_, i) => makePod(`w${i}`, { labels: { app: 'web' }, spec: anti }));
  assert.deepEqual(scheduleAll(pods, cache).sort(), ['n0', 'n1', 'n2']);
});
