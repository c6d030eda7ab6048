// Table-driven Filter tests, one table per plugin, run through the real
// framework (PreFilter then Filter) on a small snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodInfo } from '../cache/pod-info.js';
import { CycleState } from '../framework/cycle-state.js';
import type { Framework } from '../framework/framework.js';
import type { Node, Pod } from '../types.js';
import { defaultFramework, makeCache, makeNode, makePod } from '../testing/fixtures.js';
import { fitsRequest, NodeResourcesFitPlugin } from './node-resources-fit.js';

interface Case {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  /** node → expected status: 'ok' or `<code>: <reasons>`. */
  want: Record<string, string>;
  namespaces?: Record<string, Record<string, string>>;
}

function runFilter(fw: Framework, c: Case): Record<string, string> {
  const cache = makeCache(c.nodes, c.existing ?? []);
  for (const [ns, labels] of Object.entries(c.namespaces ?? {})) cache.setNamespace(ns, labels);
  fw.setSnapshot(cache);
  const state = new CycleState();
  const pi = new PodInfo(c.pod);
  const pre = fw.runPreFilterPlugins(state, pi, cache.list());
  const out: Record<string, string> = {};
  for (const ni of cache.list()) {
    if (!pre.status.isSuccess()) {
      out[ni.name] = `${pre.status.code}: ${pre.status.message()}`;
      continue;
    }
    if (pre.result?.nodeNames && !pre.result.nodeNames.has(ni.name)) {
      out[ni.name] = 'excluded';
      continue;
    }
    const st = fw.runFilterPlugins(state, pi, ni);
    out[ni.name] = st.isSuccess() ? 'ok' : `${st.code}: ${st.message()}`;
  }
  return out;
}

function table(title: string, cases: Case[]): void {
  for (const c of cases) {
    test(`${title}: ${c.name}`, () => {
      assert.deepEqual(runFilter(defaultFramework(), c), c.want);
    });
  }
}

const U = 'Unschedulable: ';
const UU = 'UnschedulableAndUnresolvable: ';

table('NodeResourcesFit', [
  {
    name: 'fits exactly',
    pod: makePod('p', { cpu: '1', memory: '1Gi' }),
    nodes: [makeNode('n', { cpu: '2', memory: '2Gi' })],
    existing: [makePod('e', { node: 'n', cpu: '1', memory: '1Gi' })],
    want: { n: 'ok' },
  },
  {
    name: 'insufficient cpu and memory, reasons in order',
    pod: makePod('p', { cpu: '1500m', memory: '1537Mi' }),
    nodes: [makeNode('n', { cpu: '2', memory: '2Gi' })],
    existing: [makePod('e', { node: 'n', cpu: '1', memory: '512Mi' })],
    want: { n: `${U}Insufficient cpu, Insufficient memory` },
  },
  {
    name: 'too many pods even with no requests',
    pod: makePod('p'),
    nodes: [makeNode('n', { pods: 1 })],
    existing: [makePod('e', { node: 'n' })],
    want: { n: `${U}Too many pods` },
  },
  {
    name: 'extended resource',
    pod: makePod('p', { extra: { 'nvidia.com/gpu': '2' } }),
    nodes: [makeNode('gpu', { extra: { 'nvidia.com/gpu': '2' } }), makeNode('cpu-only')],
    want: { gpu: 'ok', 'cpu-only': `${U}Insufficient nvidia.com/gpu` },
  },
  {
    name: 'init containers: the max of init peak and regular sum, plus overhead',
    pod: makePod('p', {
      cpu: '500m',
      spec: {
        initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
        overhead: { cpu: '100m' },
      },
    }),
    nodes: [makeNode('two', { cpu: '2' }), makeNode('more', { cpu: '2100m' })],
    want: { two: `${U}Insufficient cpu`, more: 'ok' },
  },
  {
    name: 'sidecar init containers add to the regular containers',
    pod: makePod('p', {
      cpu: '1',
      spec: { initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } }] },
    }),
    nodes: [makeNode('one', { cpu: '1500m' }), makeNode('two', { cpu: '2' })],
    want: { one: `${U}Insufficient cpu`, two: 'ok' },
  },
]);

table('NodeName / NodeUnschedulable', [
  {
    name: 'spec.nodeName pins the node',
    pod: makePod('p', { spec: { nodeName: 'b' } }),
    nodes: [makeNode('a'), makeNode('b')],
    want: { a: `${UU}node(s) didn't match the requested node name`, b: 'ok' },
  },
  {
    name: 'cordoned node, tolerated or not',
    pod: makePod('p'),
    nodes: [makeNode('c', { unschedulable: true })],
    want: { c: `${UU}node(s) were unschedulable` },
  },
  {
    name: 'cordoned node tolerated',
    pod: makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } }),
    nodes: [makeNode('c', { unschedulable: true })],
    want: { c: 'ok' },
  },
]);

table('TaintToleration', [
  {
    name: 'NoSchedule and NoExecute need tolerations; PreferNoSchedule does not',
    pod: makePod('p', { spec: { tolerations: [{ key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] } }),
    nodes: [
      makeNode('ok', { taints: [{ key: 'a', value: 'x', effect: 'NoSchedule' }, { key: 'soft', effect: 'PreferNoSchedule' }] }),
      makeNode('wrong-value', { taints: [{ key: 'a', value: 'y', effect: 'NoSchedule' }] }),
      makeNode('execute', { taints: [{ key: 'b', value: 'v', effect: 'NoExecute' }] }),
    ],
    want: {
      ok: 'ok',
      'wrong-value': `${UU}node(s) had untolerated taint {a: y}`,
      execute: `${UU}node(s) had untolerated taint {b: v}`,
    },
  },
  {
    name: 'an empty-key Exists toleration tolerates everything',
    pod: makePod('p', { spec: { tolerations: [{ operator: 'Exists' }] } }),
    nodes: [makeNode('n', { taints: [{ key: 'any', value: 'v', effect: 'NoExecute' }] })],
    want: { n: 'ok' },
  },
]);

const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });

table('NodeAffinity', [
  {
    name: 'nodeSelector',
    pod: makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
    nodes: [makeNode('ssd', { labels: { disk: 'ssd' } }), makeNode('hdd', { labels: { disk: 'hdd' } })],
    want: { ssd: 'ok', hdd: `${UU}node(s) didn't match Pod's node affinity/selector` },
  },
  {
    name: 'operators In/NotIn/Exists/DoesNotExist/Gt/Lt; terms ORed',
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'zone', operator: 'In', values: ['a', 'b'] },
                    { key: 'gpu', operator: 'DoesNotExist' },
                    { key: 'cores', operator: 'Gt', values: ['4'] },
                  ],
                },
                { matchExpressions: [{ key: 'special', operator: 'Exists' }, { key: 'cores', operator: 'Lt', values: ['2'] }] },
              ],
            },
          },
        },
      },
    }),
    nodes: [
      makeNode('match1', { labels: { zone: 'a', cores: '8' } }),
      makeNode('gpu', { labels: { zone: 'a', cores: '8', gpu: 'yes' } }),
      makeNode('small', { labels: { zone: 'b', cores: '4' } }),
      makeNode('match2', { labels: { special: '', cores: '1' } }),
      makeNode('notnum', { labels: { zone: 'a', cores: 'many' } }),
    ],
    want: {
      match1: 'ok',
      gpu: `${UU}node(s) didn't match Pod's node affinity/selector`,
      small: `${UU}node(s) didn't match Pod's node affinity/selector`,
      match2: 'ok',
      notnum: `${UU}node(s) didn't match Pod's node affinity/selector`,
    },
  },
  {
    name: 'matchFields metadata.name narrows the node set in PreFilter',
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }],
            },
          },
        },
      },
    }),
    nodes: [makeNode('a'), makeNode('b')],
    want: { a: 'excluded', b: 'ok' },
  },
  {
    name: 'NotIn on matchFields',
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['b'] }] }],
            },
          },
        },
      },
    }),
    nodes: [makeNode('a'), makeNode('b')],
    want: { a: 'ok', b: `${UU}node(s) didn't match Pod's node affinity/selector` },
  },
]);

table('NodePorts', [
  {
    name: 'host port conflicts by protocol and address',
    pod: makePod('p', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } }),
    nodes: [makeNode('busy'), makeNode('udp'), makeNode('other-ip'), makeNode('free')],
    existing: [
      makePod('e1', { node: 'busy', spec: { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 8080 }] }] } }),
      makePod('e2', { node: 'udp', spec: { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 8080, protocol: 'UDP' }] }] } }),
      makePod('e3', { node: 'other-ip', spec: { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 8080, hostIP: '10.0.0.1' }] }] } }),
    ],
    want: {
      busy: `${U}node(s) didn't have free ports for the requested pod ports`,
      udp: 'ok',
      // The pod binds the wildcard address, which overlaps any specific one.
      'other-ip': `${U}node(s) didn't have free ports for the requested pod ports`,
      free: 'ok',
    },
  },
]);

const affinityTerm = (labels: Record<string, string>, topologyKey: string, extra: object = {}) => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
  ...extra,
});

table('InterPodAffinity', [
  {
    name: 'required affinity: only the zone hosting a matching pod',
    pod: makePod('p', {
      labels: { app: 'web' },
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm({ app: 'db' }, 'topology.kubernetes.io/zone')] } } },
    }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('a2', { labels: zone('a') }), makeNode('b1', { labels: zone('b') }), makeNode('nozone')],
    existing: [makePod('db', { node: 'a1', labels: { app: 'db' } })],
    want: {
      a1: 'ok',
      a2: 'ok',
      b1: `${UU}node(s) didn't match pod affinity rules`,
      nozone: `${UU}node(s) didn't match pod affinity rules`,
    },
  },
  {
    name: 'required affinity to itself: the first pod of a group goes anywhere with the key',
    pod: makePod('p', {
      labels: { app: 'web' },
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm({ app: 'web' }, 'topology.kubernetes.io/zone')] } } },
    }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('nozone')],
    want: { a1: 'ok', nozone: `${UU}node(s) didn't match pod affinity rules` },
  },
  {
    name: 'required anti-affinity by hostname',
    pod: makePod('p', {
      labels: { app: 'web' },
      spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm({ app: 'web' }, 'kubernetes.io/hostname')] } } },
    }),
    nodes: [makeNode('n1'), makeNode('n2')],
    existing: [makePod('w1', { node: 'n1', labels: { app: 'web' } })],
    want: { n1: `${U}node(s) didn't match pod anti-affinity rules`, n2: 'ok' },
  },
  {
    name: "existing pods' anti-affinity repels the incoming pod from the whole zone",
    pod: makePod('p', { labels: { team: 'x' } }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('a2', { labels: zone('a') }), makeNode('b1', { labels: zone('b') })],
    existing: [
      makePod('loner', {
        node: 'a1',
        spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm({ team: 'x' }, 'topology.kubernetes.io/zone')] } } },
      }),
    ],
    want: {
      a1: `${U}node(s) didn't satisfy existing pods anti-affinity rules`,
      a2: `${U}node(s) didn't satisfy existing pods anti-affinity rules`,
      b1: 'ok',
    },
  },
  {
    name: 'terms only see their namespaces; namespaceSelector widens them',
    pod: makePod('p', {
      ns: 'web',
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              affinityTerm({ app: 'db' }, 'kubernetes.io/hostname'),
              affinityTerm({ app: 'cache' }, 'kubernetes.io/hostname', { namespaceSelector: { matchLabels: { tier: 'data' } } }),
            ],
          },
        },
      },
    }),
    nodes: [makeNode('n1'), makeNode('n2'), makeNode('n3')],
    existing: [
      makePod('db', { ns: 'other', node: 'n1', labels: { app: 'db' } }), // other namespace: ignored
      makePod('cache', { ns: 'data', node: 'n2', labels: { app: 'cache' } }), // selected by namespaceSelector
      makePod('db2', { ns: 'web', node: 'n3', labels: { app: 'db' } }),
    ],
    namespaces: { data: { tier: 'data' }, other: {} },
    want: {
      n1: 'ok',
      n2: `${U}node(s) didn't match pod anti-affinity rules`,
      n3: `${U}node(s) didn't match pod anti-affinity rules`,
    },
  },
]);

const spread = (maxSkew: number, key: string, when = 'DoNotSchedule', extra: object = {}) => ({
  maxSkew,
  topologyKey: key,
  whenUnsatisfiable: when,
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});

table('PodTopologySpread', [
  {
    name: 'maxSkew 1 across zones',
    pod: makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread(1, 'topology.kubernetes.io/zone')] } }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('b1', { labels: zone('b') }), makeNode('nozone')],
    existing: [makePod('w1', { node: 'a1', labels: { app: 'web' } }), makePod('other', { node: 'b1', labels: { app: 'db' } })],
    want: {
      a1: `${U}node(s) didn't match pod topology spread constraints`,
      b1: 'ok',
      nozone: `${UU}node(s) didn't match pod topology spread constraints (missing required label)`,
    },
  },
  {
    name: 'minDomains larger than the domain count makes the global minimum 0',
    pod: makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', { minDomains: 3 })] } }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('b1', { labels: zone('b') })],
    existing: [makePod('w1', { node: 'a1', labels: { app: 'web' } }), makePod('w2', { node: 'b1', labels: { app: 'web' } })],
    want: {
      a1: `${U}node(s) didn't match pod topology spread constraints`,
      b1: `${U}node(s) didn't match pod topology spread constraints`,
    },
  },
  {
    name: 'ScheduleAnyway constraints never filter',
    pod: makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread(1, 'topology.kubernetes.io/zone', 'ScheduleAnyway')] } }),
    nodes: [makeNode('a1', { labels: zone('a') }), makeNode('nozone')],
    existing: [makePod('w1', { node: 'a1', labels: { app: 'web' } }), makePod('w2', { node: 'a1', labels: { app: 'web' } })],
    want: { a1: 'ok', nozone: 'ok' },
  },
  {
    name: 'nodes excluded by node affinity do not count as domains (Honor)',
    pod: makePod('p', {
      labels: { app: 'web' },
      spec: { nodeSelector: { pool: 'x' }, topologySpreadConstraints: [spread(1, 'topology.kubernetes.io/zone')] },
    }),
    nodes: [makeNode('a1', { labels: { ...zone('a'), pool: 'x' } }), makeNode('b1', { labels: zone('b') })],
    existing: [makePod('w1', { node: 'a1', labels: { app: 'web' } })],
    // Zone b is not eligible, so zone a's count of 1 is the minimum: skew 1.
    want: { a1: 'ok', b1: `${UU}node(s) didn't match Pod's node affinity/selector` },
  },
]);

test('NodeResourcesFit: Filter succeeds exactly when fitsRequest finds no shortfall, and a fit allocates no list', () => {
  const plugin = new NodeResourcesFitPlugin();
  const state = new CycleState();
  let fits = 0;
  let misses = 0;
  for (const podCpu of ['', '500m', '1', '1500m']) {
    for (const podMem of ['', '512Mi', '1Gi']) {
      for (const usedCpu of ['', '500m', '1']) {
        for (const maxPods of [1, 2]) {
          const cache = makeCache([makeNode('n', { cpu: '2', memory: '1536Mi', pods: maxPods })], [makePod('e', { node: 'n', cpu: usedCpu, memory: '512Mi' })]);
          const node = cache.list()[0]!;
          const pod = new PodInfo(makePod('p', { cpu: podCpu, memory: podMem }));
          const expected = fitsRequest(pod, node).length === 0;
          assert.equal(plugin.filter(state, pod, node).isSuccess(), expected, `cpu ${podCpu} mem ${podMem} used ${usedCpu} pods ${maxPods}`);
          if (expected) {
            fits++;
            assert.equal(fitsRequest(pod, node), fitsRequest(pod, node), 'every fit answers the one shared empty list');
          } else misses++;
        }
      }
    }
  }
  assert.ok(fits > 0 && misses > 0, 'the grid covers both answers');
});
