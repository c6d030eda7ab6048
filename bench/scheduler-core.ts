// Scheduler core ceiling: schedules 10,000 pods onto 1,000 and 5,000 nodes
// purely in memory (scheduleOne + assume in the cache, no API), default
// profile, and prints pods/s for three workloads: plain requests, a zone
// spread constraint, and preferred pod anti-affinity by hostname.
// Run: npx tsc -p . && node dist/bench/scheduler-core.js
import { SchedulerCache } from '../src/scheduler/cache/cache.js';
import { scheduleOne } from '../src/scheduler/scheduler.js';
import { defaultFramework, makeNode, makePod } from '../src/scheduler/testing/fixtures.js';
import type { Pod } from '../src/scheduler/types.js';
import { nowMs } from './report.js';

const PODS = Number(process.env.PODS ?? 10_000);
const ZONES = ['a', 'b', 'c'];

// A deterministic PRNG so runs are comparable.
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function workload(kind: string, i: number): Pod {
  const cpu = `${100 + (i % 4) * 100}m`;
  const memory = `${128 + (i % 3) * 128}Mi`;
  const app = `app-${i % 50}`;
  switch (kind) {
    case 'spread':
      return makePod(`p${i}`, {
        cpu,
        memory,
        labels: { app },
        spec: {
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } },
          ],
        },
      });
    case 'anti-affinity':
      return makePod(`p${i}`, {
        cpu,
        memory,
        labels: { app },
        spec: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
        },
      });
    default:
      return makePod(`p${i}`, { cpu, memory, labels: { app } });
  }
}

function run(nodes: number, kind: string): void {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) {
    cache.addNode(makeNode(`node-${i}`, { cpu: '32', memory: '128Gi', pods: 110, labels: { 'topology.kubernetes.io/zone': ZONES[i % 3]! } }));
  }
  const fw = defaultFramework(undefined, lcg(42));
  const cursor = { nextStartNodeIndex: 0 };
  const pods = Array.from({ length: PODS }, (_, i) => workload(kind, i));
  let scheduled = 0;
  const t0 = nowMs();
  for (const pod of pods) {
    const out = scheduleOne(pod, cache, fw, { cursor });
    if (out.status !== 'Scheduled') continue;
    cache.assumePod(pod, out.node);
    cache.finishBinding(pod);
    scheduled++;
  }
  const ms = nowMs() - t0;
  const rate = (PODS / ms) * 1000;
  console.log(
    `${String(nodes).padStart(5)} nodes  ${kind.padEnd(14)} ${String(scheduled).padStart(6)}/${PODS} scheduled  ${ms.toFixed(0).padStart(7)} ms  ${rate.toFixed(0).padStart(7)} pods/s`,
  );
}

// NODES=1000,5000 KINDS=plain,spread,anti-affinity PODS=10000 narrow a run.
const list = (v: string | undefined, dflt: string) => (v ?? dflt).split(',').filter(Boolean);
for (const nodes of list(process.env.NODES, '1000,5000').map(Number)) {
  for (const kind of list(process.env.KINDS, 'plain,spread,anti-affinity')) run(nodes, kind);
}
