// bench/scheduler: scheduling through the real API server, from pod creation
// to spec.nodeName set, on simulated nodes; then a 10,000-replica Deployment
// until fully Running. Every process is separate so each RSS is its own.
// Run: npm run bench:scheduler   (BENCH_PODS=10000; BENCH_SCENARIOS=1000,5000,deploy;
// BENCH_SERVER_NODE_ARGS and BENCH_CHILD_NODE_ARGS pass node flags such as --cpu-prof)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { KubeClient } from '../src/client/client.js';
import { SharedInformer, stripManagedFields } from '../src/client/informer.js';
import { listWatchFor } from '../src/client/list-watch.js';
import type { Pod } from '../src/client/types.js';
import { mapLimited } from '../src/util/limiter.js';
import { KUBETS_BIN, startServerProcess, type ServerProcess } from '../src/testing/server-process.js';
import { cpuSeconds, nowMs, percentile, printTable, rssMiB, type Row } from './report.js';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? '1000,5000,deploy').split(',');


interface Cluster {
  server: ServerProcess;
  scheduler: ChildProcess;
  sim: ChildProcess;
  client: KubeClient;
  stop(): Promise<void>;
}

/**
 * `full`: `kubets server` (API server and controllers) with the sim driving
 * every bound pod to Running. Otherwise as upstream's scheduler_perf runs it:
 * `kubets apiserver` alone, the scheduler, and nodes (here with live Leases)
 * whose pods nothing drives.
 */
async function cluster(nodes: number, full: boolean): Promise<Cluster> {
  const server = await startServerProcess({
    command: full ? 'server' : 'apiserver',
    args: full ? ['--disable-scheduler', '--cluster-cidr', '10.128.0.0/9'] : [],
    env: { KUBETS_LOG_LEVEL: 'warn' },
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
  });
  // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof") go to the scheduler and sim processes.
  const nodeArgs = process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = (args: string[]) => spawn(process.execPath, [...nodeArgs, KUBETS_BIN, ...args], { stdio: 'ignore', env: { ...process.env, KUBETS_LOG_LEVEL: 'warn' } });
  let stages: string[] = [];
  if (!full) {
    const file = path.join(server.dataDir, 'no-stages.json');
    fs.writeFileSync(file, JSON.stringify({ stages: [] }));
    stages = ['--stages', file];
  }
  const sim = child(['sim', '--kubeconfig', server.kubeconfig, '--nodes', String(nodes), ...stages]);
  const scheduler = child(['scheduler', '--kubeconfig', server.kubeconfig]);
  const client = KubeClient.fromKubeconfig(server.kubeconfig, { component: 'bench', maxSockets: 64 });
  const deadline = Date.now() + 600_000;
  // Every node registered (and, with node IPAM running, given its podCIDR) before the clock starts.
  const ready = (n: { spec?: { podCIDR?: string } }) => !full || Boolean(n.spec?.podCIDR);
  while ((await client.nodes.list(undefined, { labelSelector: 'type=kwok' })).items.filter(ready).length < nodes) {
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

/** Watches pods in `ns` (those `fieldSelector` picks), calling `onPod` for every add and update. */
async function watchPods(client: KubeClient, ns: string, onPod: (p: Pod) => void, fieldSelector?: string): Promise<() => Promise<void>> {
  const informer = new SharedInformer<Pod>(listWatchFor(client.pods, ns, fieldSelector ? { fieldSelector } : undefined), { transform: stripManagedFields });
  informer.addEventHandler({ onAdd: onPod, onUpdate: (_o, p) => onPod(p) });
  informer.run();
  await informer.waitForSync();
  return () => informer.stop();
}

/** apiserver_request_total by verb and resource, from the server's /metrics. */
async function requestCounts(client: KubeClient): Promise<Map<string, number>> {
  const res = await client.api.stream({ method: 'GET', path: '/metrics' });
  let text = '';
  for await (const chunk of res) text += chunk;
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^apiserver_request_total\{([^}]*)\} (\S+)$/gm)) {
    const l = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const key = `${l.verb} ${l.resource}${l.subresource ? `/${l.subresource}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** What the server was asked meanwhile, per second of the scenario, busiest first. */
function requestRows(label: string, before: Map<string, number>, after: Map<string, number>, seconds: number): Row[] {
  return [...after]
    .map(([k, n]) => [k, (n - (before.get(k) ?? 0)) / seconds] as const)
    .filter(([, r]) => r >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([k, r]) => ({ metric: `${label}: API requests ${k}`, value: r, unit: 'req/s' }));
}

const cpuOf = (c: Cluster) => ({ server: cpuSeconds(c.server.child.pid!), scheduler: cpuSeconds(c.scheduler.pid!), sim: cpuSeconds(c.sim.pid!), driver: cpuSeconds('self') });

/** Share of one core each process used between two cpuOf() readings. */
function cpuRows(label: string, before: ReturnType<typeof cpuOf>, after: ReturnType<typeof cpuOf>, seconds: number): Row[] {
  return (Object.keys(before) as (keyof typeof before)[]).map((k) => ({ metric: `${label}: CPU ${k}`, value: (100 * (after[k] - before[k])) / seconds, unit: '% of a core' }));
}

function rssRows(c: Cluster, label: string): Row[] {
  return [
    { metric: `${label}: RSS kubets server (API server + controllers)`, value: rssMiB(c.server.child.pid!), unit: 'MiB' },
    { metric: `${label}: RSS kubets scheduler`, value: rssMiB(c.scheduler.pid!), unit: 'MiB' },
    { metric: `${label}: RSS kubets sim`, value: rssMiB(c.sim.pid!), unit: 'MiB' },
    { metric: `${label}: RSS bench driver`, value: process.memoryUsage().rss / 2 ** 20, unit: 'MiB' },
  ];
}

async function schedulingScenario(nodes: number, full: boolean): Promise<Row[]> {
  const c = await cluster(nodes, full);
  try {
    await c.client.namespaces.create('', { metadata: { name: 'bench' } });
    const created = new Map<string, number>();
    const bound = new Map<string, number>();
    let resolve!: () => void;
    const all = new Promise<void>((r) => (resolve = r));
    // Only bound pods: the driver need not parse every pod's creation too.
    const stop = await watchPods(c.client, 'bench', (p) => {
      const name = p.metadata.name!;
      if (p.spec?.nodeName && !bound.has(name)) {
        bound.set(name, nowMs());
        if (bound.size === PODS) resolve();
      }
    }, 'spec.nodeName!=');
    const requestsBefore = await requestCounts(c.client);
    const cpuBefore = cpuOf(c);
    const t0 = nowMs();
    // The creates go through undici, a lean HTTP/1.1 client, and their replies
    // are drained unparsed: on these 2 shared cores, every microsecond the load
    // generator spends is one the scheduler and the API server do not get.
    const cfg = c.client.api.config;
    const pool = new Pool(cfg.server, { connections: 50, connect: { ca: cfg.ca, cert: cfg.cert, key: cfg.key } });
    await mapLimited(Array.from({ length: PODS }, (_, i) => i), 50, async (i) => {
      const name = `p-${i}`;
      created.set(name, nowMs());
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'kubets.local/busybox:1.35', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } };
      const res = await pool.request({ method: 'POST', path: '/api/v1/namespaces/bench/pods', body: JSON.stringify(pod), headers: { 'content-type': 'application/json' } });
      if (res.statusCode !== 201) throw new Error(`create ${name}: ${res.statusCode} ${await res.body.text()}`);
      await res.body.dump();
    });
    await pool.close();
    const createdAt = nowMs();
    await all;
    const done = nowMs();
    const cpuAfter = cpuOf(c);
    const requestsAfter = await requestCounts(c.client);
    await stop();
    const lat = [...bound].map(([n, t]) => t - created.get(n)!).sort((a, b) => a - b);
    const label = `${nodes} nodes, ${PODS} pods${full ? ', full cluster' : ''}`;
    return [
      { metric: `${label}: pods scheduled/s (create → nodeName)`, value: (PODS / (done - t0)) * 1000, unit: 'pods/s' },
      { metric: `${label}: create rate reached`, value: (PODS / (createdAt - t0)) * 1000, unit: 'pods/s' },
      { metric: `${label}: scheduling latency p50`, value: percentile(lat, 50), unit: 'ms' },
      { metric: `${label}: scheduling latency p99`, value: percentile(lat, 99), unit: 'ms' },
      ...rssRows(c, label),
      ...cpuRows(label, cpuBefore, cpuAfter, (done - t0) / 1000),
      ...requestRows(label, requestsBefore, requestsAfter, (done - t0) / 1000),
    ];
  } finally {
    await c.stop();
  }
}

async function deploymentScenario(): Promise<Row[]> {
  const c = await cluster(1000, true);
  try {
    await c.client.namespaces.create('', { metadata: { name: 'bench' } });
    const runningPods = new Set<string>();
    let resolve!: () => void;
    const all = new Promise<void>((r) => (resolve = r));
    // Only Running pods: the driver need not parse each pod's earlier versions too.
    const stop = await watchPods(c.client, 'bench', (p) => {
      if (p.status?.phase === 'Running') runningPods.add(p.metadata.name!);
      if (runningPods.size >= PODS) resolve();
    }, 'status.phase=Running');
    const requestsBefore = await requestCounts(c.client);
    const cpuBefore = cpuOf(c);
    const t0 = nowMs();
    await c.client.deployments.create('bench', {
      metadata: { name: 'big' },
      spec: { replicas: PODS, selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'kubets.local/busybox:1.35' }] } } },
    });
    await all;
    const seconds = (nowMs() - t0) / 1000;
    const cpuAfter = cpuOf(c);
    const requestsAfter = await requestCounts(c.client);
    await stop();
    return [
      { metric: `${PODS}-replica Deployment on 1000 nodes: fully Running`, value: seconds, unit: 's' },
      ...rssRows(c, 'deployment'),
      ...cpuRows('deployment', cpuBefore, cpuAfter, seconds),
      ...requestRows('deployment', requestsBefore, requestsAfter, seconds),
    ];
  } finally {
    await c.stop();
  }
}

const rows: Row[] = [];
// "1000": scheduler_perf-style; "full1000": with controllers and pods driven to Running.
for (const s of SCENARIOS) rows.push(...(s === 'deploy' ? await deploymentScenario() : await schedulingScenario(Number(s.replace('full', '')), s.startsWith('full'))));
printTable('bench/scheduler (through the real API server, simulated nodes)', rows);
