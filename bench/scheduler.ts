// bench/scheduler: scheduling through the real API server, from pod creation
// to spec.nodeName set, on simulated nodes; then a 10,000-replica Deployment
// until fully Running. Every process is separate so each RSS is its own.
// Run: npm run bench:scheduler   (BENCH_PODS=10000; BENCH_SCENARIOS=1000,5000,deploy)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { KubeClient } from '../src/client/client.js';
import { SharedInformer } from '../src/client/informer.js';
import { listWatchFor } from '../src/client/list-watch.js';
import type { Pod } from '../src/client/types.js';
import { mapLimited } from '../src/sim/limiter.js';
import { KUBETS_BIN, startServerProcess, type ServerProcess } from '../src/testing/server-process.js';
import { nowMs, percentile, printTable, type Row } from './report.js';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? '1000,5000,deploy').split(',');

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface Cluster {
  server: ServerProcess;
  scheduler: ChildProcess;
  sim: ChildProcess;
  client: KubeClient;
  stop(): Promise<void>;
}

async function cluster(nodes: number): Promise<Cluster> {
  const server = await startServerProcess({ args: ['--disable-scheduler'], env: { KUBETS_LOG_LEVEL: 'warn' }, nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) });
  const child = (args: string[]) => spawn(process.execPath, [KUBETS_BIN, ...args], { stdio: 'ignore', env: { ...process.env, KUBETS_LOG_LEVEL: 'warn' } });
  const sim = child(['sim', '--kubeconfig', server.kubeconfig, '--nodes', String(nodes)]);
  const scheduler = child(['scheduler', '--kubeconfig', server.kubeconfig]);
  const client = KubeClient.fromKubeconfig(server.kubeconfig, { component: 'bench', maxSockets: 64 });
  const deadline = Date.now() + 600_000;
  while ((await client.nodes.list(undefined, { labelSelector: 'type=kwok' })).items.length < nodes) {
    if (Date.now() > deadline) throw new Error('nodes did not register');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    server,
    scheduler,
    sim,
    client,
    async stop() {
      for (const c of [sim, scheduler]) c.kill('SIGTERM');
      client.close();
      await server.stop();
    },
  };
}

/** Watches pods in `ns`, calling `onPod` for every add and update. */
async function watchPods(client: KubeClient, ns: string, onPod: (p: Pod) => void): Promise<() => Promise<void>> {
  const informer = new SharedInformer<Pod>(listWatchFor(client.pods, ns));
  informer.addEventHandler({ onAdd: onPod, onUpdate: (_o, p) => onPod(p) });
  informer.run();
  await informer.waitForSync();
  return () => informer.stop();
}

function rssRows(c: Cluster, label: string): Row[] {
  return [
    { metric: `${label}: RSS kubets server (API server + controllers)`, value: rssMiB(c.server.child.pid!), unit: 'MiB' },
    { metric: `${label}: RSS kubets scheduler`, value: rssMiB(c.scheduler.pid!), unit: 'MiB' },
    { metric: `${label}: RSS kubets sim`, value: rssMiB(c.sim.pid!), unit: 'MiB' },
    { metric: `${label}: RSS bench driver`, value: process.memoryUsage().rss / 2 ** 20, unit: 'MiB' },
  ];
}

async function schedulingScenario(nodes: number): Promise<Row[]> {
  const c = await cluster(nodes);
  try {
    await c.client.namespaces.create('', { metadata: { name: 'bench' } });
    const created = new Map<string, number>();
    const bound = new Map<string, number>();
    let resolve!: () => void;
    const all = new Promise<void>((r) => (resolve = r));
    const stop = await watchPods(c.client, 'bench', (p) => {
      const name = p.metadata.name!;
      if (p.spec?.nodeName && !bound.has(name)) {
        bound.set(name, nowMs());
        if (bound.size === PODS) resolve();
      }
    });
    const t0 = nowMs();
    await mapLimited(Array.from({ length: PODS }, (_, i) => i), 50, async (i) => {
      const name = `p-${i}`;
      created.set(name, nowMs());
      await c.client.pods.create('bench', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'kubets.local/busybox:1.35', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } });
    });
    const createdAt = nowMs();
    await all;
    const done = nowMs();
    await stop();
    const lat = [...bound].map(([n, t]) => t - created.get(n)!).sort((a, b) => a - b);
    const label = `${nodes} nodes, ${PODS} pods`;
    return [
      { metric: `${label}: pods scheduled/s (create → nodeName)`, value: (PODS / (done - t0)) * 1000, unit: 'pods/s' },
      { metric: `${label}: create rate reached`, value: (PODS / (createdAt - t0)) * 1000, unit: 'pods/s' },
      { metric: `${label}: scheduling latency p50`, value: percentile(lat, 50), unit: 'ms' },
      { metric: `${label}: scheduling latency p99`, value: percentile(lat, 99), unit: 'ms' },
      ...rssRows(c, label),
    ];
  } finally {
    await c.stop();
  }
}

async function deploymentScenario(): Promise<Row[]> {
  const c = await cluster(1000);
  try {
    await c.client.namespaces.create('', { metadata: { name: 'bench' } });
    const runningPods = new Set<string>();
    let resolve!: () => void;
    const all = new Promise<void>((r) => (resolve = r));
    const stop = await watchPods(c.client, 'bench', (p) => {
      if (p.status?.phase === 'Running') runningPods.add(p.metadata.name!);
      if (runningPods.size >= PODS) resolve();
    });
    const t0 = nowMs();
    await c.client.deployments.create('bench', {
      metadata: { name: 'big' },
      spec: { replicas: PODS, selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'kubets.local/busybox:1.35' }] } } },
    });
    await all;
    const seconds = (nowMs() - t0) / 1000;
    await stop();
    return [{ metric: `${PODS}-replica Deployment on 1000 nodes: fully Running`, value: seconds, unit: 's' }, ...rssRows(c, 'deployment')];
  } finally {
    await c.stop();
  }
}

const rows: Row[] = [];
for (const s of SCENARIOS) rows.push(...(s === 'deploy' ? await deploymentScenario() : await schedulingScenario(Number(s))));
printTable('bench/scheduler (through the real API server, simulated nodes)', rows);
