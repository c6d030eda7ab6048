// bench/sim: simulated nodes against a real `kubets server` child process.
// Prints how long registering the nodes takes, how long bound pods take to
// reach Running, and the RSS of both processes.
// Run: npx tsc -p . && node dist/bench/sim.js   (BENCH_NODES=1000 BENCH_PODS=2000)
import fs from 'node:fs';
import { KubeClient } from '../src/client/client.js';
import { SharedInformer } from '../src/client/informer.js';
import { listWatchFor } from '../src/client/list-watch.js';
import type { Pod } from '../src/client/types.js';
import { mapLimited } from '../src/util/limiter.js';
import { startSimulatedNodes } from '../src/sim/index.js';
import { startServerProcess } from '../src/testing/server-process.js';
import { cpuSeconds, nowMs, printTable, rssMiB, type Row } from './report.js';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 2000);
const NS = 'default';

/** Resolves once `n` pods in the namespace are Running, watching (not polling) so the server is not loaded by the count. */
async function whenRunning(client: KubeClient, n: number): Promise<{ done: Promise<void>; stop: () => Promise<void> }> {
  const informer = new SharedInformer<Pod>(listWatchFor(client.pods, NS));
  const running = new Set<string>();
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const seen = (p: Pod) => {
    if (p.status?.phase === 'Running') running.add(p.metadata.name!);
    if (running.size >= n) resolve();
  };
  informer.addEventHandler({ onAdd: seen, onUpdate: (_o, p) => seen(p) });
  informer.run();
  await informer.waitForSync();
  return { done, stop: () => informer.stop() };
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const client = KubeClient.fromKubeconfig(server.kubeconfig, { component: 'bench-sim', maxSockets: 64 });
  const rows: Row[] = [];
  try {
    const t0 = nowMs();
    const sim = await startSimulatedNodes({ client, nodes: NODES });
    const registerMs = nowMs() - t0;
    rows.push({ metric: `register ${NODES} nodes + leases`, value: Math.round(registerMs), unit: 'ms' });
    rows.push({ metric: 'node registrations/s', value: Math.round((NODES / registerMs) * 1000), unit: '/s' });

    const running = await whenRunning(client, PODS);
    const t1 = nowMs();
    await mapLimited(Array.from({ length: PODS }, (_, i) => i), 32, async (i) => {
      const pod: Pod = { metadata: { name: `bench-${i}`, namespace: NS }, spec: { containers: [{ name: 'c', image: 'pause' }] } };
      await client.pods.create(NS, pod);
      await client.bind(NS, pod.metadata.name!, `sim-node-${i % NODES}`);
    });
    const boundMs = nowMs() - t1;
    await running.done;
    const runningMs = nowMs() - t1;
    await running.stop();
    rows.push({ metric: `create+bind ${PODS} pods`, value: Math.round(boundMs), unit: 'ms' });
    rows.push({ metric: `all ${PODS} pods Running`, value: Math.round(runningMs), unit: 'ms' });

    // A lease period's worth of steady state, for the RSS under renewals.
    await new Promise((r) => setTimeout(r, 10_000));
    const stats = sim.stats();
    rows.push({ metric: 'lease renewals in steady state', value: stats.leaseRenewals, unit: 'count' });
    rows.push({ metric: 'pod transitions', value: stats.podTransitions, unit: 'count' });
    rows.push({ metric: 'errors', value: stats.errors, unit: 'count' });
    rows.push({ metric: 'CPU simulator process', value: Math.round(cpuSeconds('self') * 10) / 10, unit: 's' });
    rows.push({ metric: 'CPU API server process', value: Math.round(cpuSeconds(server.child.pid!) * 10) / 10, unit: 's' });
    rows.push({ metric: 'RSS simulator process', value: Math.round(rssMiB('self')), unit: 'MiB' });
    rows.push({ metric: 'RSS API server process', value: Math.round(rssMiB(server.child.pid!)), unit: 'MiB' });
    await sim.stop();
  } finally {
    client.close();
    await server.stop();
  }
  printTable(`bench/sim: ${NODES} simulated nodes, ${PODS} pods`, rows);
}

await main();
