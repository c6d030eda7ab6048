// bench/podstartup: pod startup latency on a real node (kubets server plus a
// separate `kubets agent` on containerd), from create until a watch sees the
// pod Running, for sequential and parallel pods with the image present. In
// the same run: the raw runtime floor (sandbox + container straight through
// CRI, same image) and the agent's RSS with 30 pods running.
// Everything runs inside a private network namespace with no route out; this
// script re-executes itself there. Run as root: npm run bench:podstartup
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pod } from '../src/api/core-v1.js';
import { KubeClient } from '../src/client/client.js';
import { CriClient } from '../src/cri/grpc-client.js';
import { testContainerConfig, testSandboxConfig } from '../src/cri/testing/configs.js';
import { removeCgroupTree } from '../src/agent/cgroups.js';
import { AGENT_NODE_FLAGS } from '../src/agent/options.js';
import { createTestNetns } from '../src/testing/netns.js';
import { KUBETS_BIN, startServerProcess } from '../src/testing/server-process.js';
import { waitFor } from '../src/testing/wait-for.js';
import { cpuSeconds, machineCpuSeconds, nowMs, percentile, printTable, rssMiB, type Row } from './report.js';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 30);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 10);
/** Parallel bursts (and raw ones) to run: one burst's p50 swings by ±20% on a shared 2-core machine. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RAW = Number(process.env.BENCH_RAW ?? 10);
const NS = 'bench';
const IMAGE = 'kubets.local/busybox:1.35';

const podSpec = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: { containers: [{ name: 'c', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }], terminationGracePeriodSeconds: 0 },
});

/** Watches the namespace; resolves per pod name the first time it is seen Running. */
async function runningWatcher(client: KubeClient) {
  const waiters = new Map<string, (t: number) => void>();
  const seen = new Map<string, number>();
  const list = await client.pods.list(NS);
  const handle = await client.pods.watch(NS, { resourceVersion: list.resourceVersion }, (e) => {
    const p = e.object as unknown as Pod;
    const name = p.metadata.name!;
    if (p.status?.phase !== 'Running' || seen.has(name)) return;
    const t = nowMs();
    seen.set(name, t);
    waiters.get(name)?.(t);
  });
  return {
    whenRunning(name: string): Promise<number> {
      const t = seen.get(name);
      return t !== undefined ? Promise.resolve(t) : new Promise((r) => waiters.set(name, r));
    },
    stop: () => handle.stop(),
  };
}

async function startupLatency(client: KubeClient, watcher: Awaited<ReturnType<typeof runningWatcher>>, name: string): Promise<number> {
  const t0 = nowMs();
  const running = watcher.whenRunning(name);
  await client.pods.create(NS, podSpec(name) as never);
  return (await running) - t0;
}

/** The runtime floor: RunPodSandbox + CreateContainer + StartContainer straight through CRI, `concurrency` at a time. */
async function rawRuntime(socket: string, dir: string, n: number, concurrency: number): Promise<{ ms: number[]; cpuSeconds: number }> {
  const cri = new CriClient(socket);
  const node = { logDir: path.join(dir, 'raw-logs'), cgroupParent: '/kubets-bench-raw' };
  const out: number[] = [];
  const started: string[] = [];
  let cpuSeconds = 0;
  try {
    const cpu0 = machineCpuSeconds();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = nowMs();
        const sandbox = testSandboxConfig(node, `raw-${concurrency}-${i}`);
        const sid = await cri.runPodSandbox(sandbox);
        started.push(sid);
        const cid = await cri.createContainer(sid, testContainerConfig('c', ['sleep', '3600']), sandbox);
        await cri.startContainer(cid);
        out.push(nowMs() - t0);
      }
    }));
    cpuSeconds = machineCpuSeconds() - cpu0;
    for (const sid of started) {
      await cri.stopPodSandbox(sid);
      await cri.removePodSandbox(sid);
    }
    // The runtime removes only the containers' cgroups, not the parent it was given.
    removeCgroupTree(node.cgroupParent);
  } finally {
    cri.close();
  }
  return { ms: out.sort((a, b) => a - b), cpuSeconds };
}

async function inner(): Promise<void> {
  const server = await startServerProcess({ nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean) });
  const token = fs.readFileSync(path.join(server.dataDir, 'node-token'), 'utf8').trim();
  const agentDir = path.join(server.dataDir, 'bench-node');
  // How an agent should run (README; `kubets cluster up` does the same).
  const nodeFlags = process.env.BENCH_AGENT_NODE_FLAGS === undefined ? AGENT_NODE_FLAGS : process.env.BENCH_AGENT_NODE_FLAGS.split(' ').filter(Boolean);
  const agent: ChildProcess = spawn(process.execPath, [...nodeFlags, KUBETS_BIN, 'agent', '--server', server.url, '--token', token, '--node-name', 'bench-node', '--node-ip', process.env.BENCH_NODE_IP!, '--data-dir', agentDir, '--log-level', process.env.BENCH_AGENT_LOG_LEVEL ?? 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const client = KubeClient.fromKubeconfig(server.kubeconfig, { component: 'bench' });
  try {
    await waitFor(async () => {
      const n = (await client.nodes.get(undefined, 'bench-node')) as { status?: { conditions?: { type: string; status: string }[] } };
      return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    }, { timeoutMs: 60_000, what: 'the bench node Ready', intervalMs: 100 });
    await client.namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as never);
    await waitFor(async () => (await client.serviceaccounts.list(NS)).items.length > 0, { timeoutMs: 10_000, what: 'the default service account' });
    const watcher = await runningWatcher(client);
    // One warm-up pod (first sandbox on the node), not counted.
    await startupLatency(client, watcher, 'warmup');
    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await startupLatency(client, watcher, `seq-${i}`));
    sequential.sort((a, b) => a - b);
    const agentRss = rssMiB(agent.pid!);
    const socket = path.join(agentDir, 'agent', 'containerd', 'containerd.sock');
    const cri = new CriClient(socket);
    // Each round starts PARALLEL pods at once, then deletes them and waits until they are gone.
    const parallel: number[] = [];
    const roundP50s: number[] = [];
    let [serverCpu, agentCpu, machineCpu] = [0, 0, 0];
    for (let round = 0; round < ROUNDS; round++) {
      const cpu0 = [cpuSeconds(server.child.pid!), cpuSeconds(agent.pid!), machineCpuSeconds()];
      const burst = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => startupLatency(client, watcher, `par-${round}-${i}`)));
      serverCpu += cpuSeconds(server.child.pid!) - cpu0[0]!;
      agentCpu += cpuSeconds(agent.pid!) - cpu0[1]!;
      machineCpu += machineCpuSeconds() - cpu0[2]!;
      parallel.push(...burst);
      roundP50s.push(percentile(burst.sort((a, b) => a - b), 50));
      // Gone from the API is not enough (a grace period of 0 removes the object at once): wait for the node's teardown too.
      for (let i = 0; i < PARALLEL; i++) await client.pods.delete(NS, `par-${round}-${i}`);
      const gone = async () => (await cri.listPodSandbox()).every((s) => !s.metadata.name.startsWith(`par-${round}-`));
      await waitFor(gone, { timeoutMs: 60_000, what: `round ${round}'s pods torn down`, intervalMs: 100 });
    }
    parallel.sort((a, b) => a - b);
    const burstPods = PARALLEL * ROUNDS;
    watcher.stop();
    cri.close();
    const raw = (await rawRuntime(socket, agentDir, RAW, 1)).ms;
    const rawParallel: number[] = [];
    let rawMachineCpu = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const r = await rawRuntime(socket, agentDir, PARALLEL, PARALLEL);
      rawParallel.push(...r.ms);
      rawMachineCpu += r.cpuSeconds;
    }
    rawParallel.sort((a, b) => a - b);
    const rawP50 = percentile(raw, 50);
    const rawParP50 = percentile(rawParallel, 50);
    const rows: Row[] = [
      { metric: `sequential pods (${SEQUENTIAL}): p50`, value: percentile(sequential, 50), unit: 'ms', baseline: rawP50, baselineName: 'raw CRI p50', ratio: percentile(sequential, 50) / rawP50 },
      { metric: `sequential pods (${SEQUENTIAL}): p99`, value: percentile(sequential, 99), unit: 'ms' },
      { metric: `parallel pods (${PARALLEL} at once, ${ROUNDS} rounds): p50`, value: percentile(parallel, 50), unit: 'ms', baseline: rawParP50, baselineName: `raw CRI, ${PARALLEL} at once, p50`, ratio: percentile(parallel, 50) / rawParP50 },
      { metric: `parallel pods (${PARALLEL} at once, ${ROUNDS} rounds): p99`, value: percentile(parallel, 99), unit: 'ms' },
      { metric: `parallel pods: median of the rounds' p50s`, value: percentile([...roundP50s].sort((a, b) => a - b), 50), unit: `ms (all: ${roundP50s.map((x) => x.toFixed(0)).join(', ')} ms)` },
      { metric: `raw CRI sandbox+container (${RAW}): p50`, value: rawP50, unit: 'ms' },
      { metric: `raw CRI sandbox+container (${RAW}): p99`, value: percentile(raw, 99), unit: 'ms' },
      { metric: `raw CRI sandbox+container, ${PARALLEL} at once: p50 / p99`, value: rawParP50, unit: `ms / ${percentile(rawParallel, 99).toFixed(0)} ms` },
      { metric: `CPU per pod in the parallel burst: server / agent`, value: (serverCpu * 1000) / burstPods, unit: `ms / ${((agentCpu * 1000) / burstPods).toFixed(0)} ms` },
      { metric: `CPU per pod in the parallel burst: whole machine`, value: (machineCpu * 1000) / burstPods, unit: 'ms', baseline: (rawMachineCpu * 1000) / burstPods, baselineName: 'raw CRI, 10 at once', ratio: machineCpu / rawMachineCpu },
      { metric: `agent RSS with ${SEQUENTIAL + 1} pods running (node ${nodeFlags.join(' ') || 'defaults'})`, value: agentRss, unit: 'MiB' },
    ];
    printTable('Pod startup (create → Running seen by watch), image present', rows);
  } finally {
    client.close();
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
    await server.stop();
  }
}

async function outer(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/podstartup runs real pods: run it as root');
  const netns = await createTestNetns();
  try {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(netns.prefix[0]!, [...netns.prefix.slice(1), process.execPath, self, '--inner'], { stdio: 'inherit', env: { ...process.env, BENCH_NODE_IP: netns.nodeIP } });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) process.exitCode = code ?? 1;
  } finally {
    await netns.remove();
  }
}

await (process.argv.includes('--inner') ? inner() : outer());
