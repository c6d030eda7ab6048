// Table-driven Score tests: each runs one score plugin alone (weight 1)
// through PreScore, Score and NormalizeScore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodInfo } from '../cache/pod-info.js';
import { CycleState } from '../framework/cycle-state.js';
import type { PluginConfigEntry } from '../framework/config.js';
import type { Node, Pod } from '../types.js';
import { defaultFramework, makeCache, makeNode, makePod } from '../testing/fixtures.js';

interface Case {
  plugin: string;
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  pluginConfig?: PluginConfigEntry[];
  want: Record<string, number>;
}

function scores(c: Case): Record<string, number> {
  const fw = defaultFramework({
    schedulerName: 'test',
    plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: c.plugin, weight: 1 }] } },
    pluginConfig: c.pluginConfig ?? [],
  });
  const cache = makeCache(c.nodes, c.existing ?? []);
  fw.setSnapshot(cache);
  const state = new CycleState();
  const pi = new PodInfo(c.pod);
  assert.ok(fw.runPreScorePlugins(state, pi, cache.list()).isSuccess());
  const r = fw.runScorePlugins(state, pi, cache.list());
  assert.ok(r.status.isSuccess(), r.status.message());
  return Object.fromEntries(r.scores.map((s) => [s.name, s.total]));
}

const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });

const cases: Case[] = [
  {
    plugin: 'NodeResourcesFit',
    name: 'LeastAllocated prefers the emptier node',
    pod: makePod('p', { cpu: '1', memory: '2Gi' }),
    nodes: [makeNode('empty'), makeNode('half')],
    existing: [makePod('e', { node: 'half', cpu: '2', memory: '4Gi' })],
    want: { empty: 75, half: 25 },
  },
  {
    plugin: 'NodeResourcesFit',
    name: 'best-effort pods count as 100m / 200Mi',
    pod: makePod('p'),
    nodes: [makeNode('empty')],
    want: { empty: 97 },
  },
  {
    plugin: 'NodeResourcesFit',
    name: 'MostAllocated (pluginConfig) prefers the fuller node',
    pod: makePod('p', { cpu: '1', memory: '2Gi' }),
    nodes: [makeNode('empty'), makeNode('half')],
    existing: [makePod('e', { node: 'half', cpu: '2', memory: '4Gi' })],
    pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
    want: { empty: 25, half: 75 },
  },
  {
    plugin: 'NodeResourcesBalancedAllocation',
    name: 'closer cpu/memory fractions score higher',
    pod: makePod('p', { cpu: '1', memory: '1Gi' }),
    nodes: [makeNode('empty'), makeNode('memheavy')],
    existing: [makePod('e', { node: 'memheavy', memory: '3Gi' })],
    want: { empty: 93, memheavy: 87 },
  },
  {
    plugin: 'TaintToleration',
    name: 'fewer untolerated PreferNoSchedule taints score higher',
    pod: makePod('p', { spec: { tolerations: [{ key: 'ok', operator: 'Exists', effect: 'PreferNoSchedule' }] } }),
    nodes: [
      makeNode('clean', { taints: [{ key: 'ok', effect: 'PreferNoSchedule' }] }),
      makeNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
      makeNode('two', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }),
    ],
    want: { clean: 100, one: 50, two: 0 },
  },
  {
    plugin: 'NodeAffinity',
    name: 'preferred terms add their weights, normalized to 100',
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] } },
              { weight: 5, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      },
    }),
    nodes: [
      makeNode('both', { labels: { ...zone('a'), disk: 'ssd' } }),
      makeNode('zone', { labels: zone('a') }),
      makeNode('disk', { labels: { disk: 'ssd' } }),
      makeNode('none'),
    ],
    want: { both: 100, zone: 66, disk: 33, none: 0 },
  },
  {
    plugin: 'InterPodAffinity',
    name: 'preferred affinity by zone and anti-affinity by host',
    pod: makePod('p', {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' } },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 5, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } },
            ],
          },
        },
      },
    }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('a2', { labels: zone('a') }), makeNode('b1', { labels: zone('b') })],
    existing: [makePod('db', { node: 'a1', labels: { app: 'db' } }), makePod('web', { node: 'a2', labels: { app: 'web' } })],
    want: { a1: 100, a2: 50, b1: 0 },
  },
  {
    plugin: 'InterPodAffinity',
    name: "existing pods' required affinity attracts the incoming pod (hardPodAffinityWeight)",
    pod: makePod('p', { labels: { app: 'cache' } }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('b1', { labels: zone('b') })],
    existing: [
      makePod('user', {
        node: 'b1',
        spec: {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' }],
            },
          },
        },
      }),
    ],
    want: { a1: 0, b1: 100 },
  },
  {
    plugin: 'PodTopologySpread',
    name: 'ScheduleAnyway prefers the emptier zone',
    pod: makePod('p', {
      labels: { app: 'web' },
      spec: {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
        ],
      },
    }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('a2', { labels: zone('a') }), makeNode('b1', { labels: zone('b') }), makeNode('nozone')],
    existing: [makePod('w1', { node: 'a1', labels: { app: 'web' } }), makePod('w2', { node: 'a1', labels: { app: 'web' } })],
    want: { a1: 0, a2: 0, b1: 100, nozone: 0 },
  },
];

for (const c of cases) {
  test(`${c.plugin} score: ${c.name}`, () => {
    assert.deepEqual(scores(c), c.want);
  });
}
