// bench/throughput: TCP throughput through a ClusterIP against a direct
// connection to the pod IP, in the same run, across nodes. A 2-node
// `kubets cluster up` (private network namespaces, no route out); an httpd
// pod on node-2 serves a large file, a client pod on node-1 fetches it with
// wget to /dev/null, alternating pod IP and ClusterIP so drift hits both.
// Each transfer is timed inside the pod (busybox `time`), so kubectl exec's
// own overhead is not counted.
// Run: npm run bench:throughput   (BENCH_MB, BENCH_REPS, BENCH_NODES_SAME=1 for one node)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KUBETS_BIN, kubectlPath, run } from '../src/testing/server-process.js';
import { percentile, printTable, type Row } from './report.js';

const MB = Number(process.env.BENCH_MB ?? 1024);
const REPS = Number(process.env.BENCH_REPS ?? 15);
const SAME_NODE = process.env.BENCH_NODES_SAME === '1';
const BUSYBOX = 'kubets.local/busybox:1.35';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-bench-tput-'));
const env = { ...process.env, KUBECONFIG: path.join(dataDir, 'kubeconfig.yaml'), HOME: dataDir };

async function k(args: string[], input?: string): Promise<string> {
  const r = await run(kubectlPath('1.33'), args, { input, env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Seconds one fetch of the big file takes inside the client pod. */
async function fetchSeconds(ip: string): Promise<number> {
  const r = await run(kubectlPath('1.33'), ['exec', 'tput-client', '--', 'sh', '-c', `time wget -qO /dev/null http://${ip}/big`], { env, timeoutMs: 300_000 });
  const m = /real\s+(\d+)m\s*([\d.]+)s/.exec(r.stderr + r.stdout);
  if (r.code !== 0 || !m) throw new Error(`fetch from ${ip} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

async function main(): Promise<void> {
  const up = await run(process.execPath, [KUBETS_BIN, 'cluster', 'up', '--nodes', '2', '--data-dir', dataDir, '--detach'], { timeoutMs: 300_000 });
  if (up.code !== 0) throw new Error(`cluster up failed: ${up.stderr}${up.stdout}`);
  const serverNode = SAME_NODE ? 'node-1' : 'node-2';
  const items = [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tput-server', labels: { app: 'tput' } },
      spec: {
        nodeName: serverNode,
        terminationGracePeriodSeconds: 0,
        containers: [{
          name: 'c',
          image: BUSYBOX,
          command: ['sh', '-c', `mkdir -p /www && dd if=/dev/zero of=/www/big bs=1M count=${MB} 2>/dev/null && echo ok > /www/ok && exec httpd -f -p 80 -h /www`],
          readinessProbe: { httpGet: { path: '/ok', port: 80 }, periodSeconds: 1 },
        }],
      },
    },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tput-client' }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '36000'] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'tput' }, spec: { selector: { app: 'tput' }, ports: [{ port: 80 }] } },
  ];
  await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  await k(['wait', '--for=condition=Ready', 'pod/tput-server', 'pod/tput-client', '--timeout=180s']);
  const podIP = (JSON.parse(await k(['get', 'pod', 'tput-server', '-o', 'json'])) as { status: { podIP: string } }).status.podIP;
  const clusterIP = (JSON.parse(await k(['get', 'svc', 'tput', '-o', 'json'])) as { spec: { clusterIP: string } }).spec.clusterIP;
  // The Service's rules are in place once the ClusterIP answers.
  for (let i = 0; ; i++) {
    const r = await run(kubectlPath('1.33'), ['exec', 'tput-client', '--', 'timeout', '3', 'wget', '-qO-', `http://${clusterIP}/ok`], { env });
    if (r.code === 0 && r.stdout.trim() === 'ok') break;
    if (i > 100) throw new Error(`ClusterIP ${clusterIP} never answered: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  // Warm-up: the file into the page cache, both paths once.
  await fetchSeconds(podIP);
  await fetchSeconds(clusterIP);

  const direct: number[] = [];
  const viaService: number[] = [];
  // Each repetition is a back-to-back pair; on a shared machine the pair ratio is steadier than either median.
  const pairRatios: number[] = [];
  for (let i = 0; i < REPS; i++) {
    // Alternate which goes first, so neither always follows the other.
    const first = i % 2 === 0 ? podIP : clusterIP;
    const a = MB / (await fetchSeconds(first));
    const b = MB / (await fetchSeconds(first === podIP ? clusterIP : podIP));
    const [d, v] = first === podIP ? [a, b] : [b, a];
    direct.push(d);
    viaService.push(v);
    pairRatios.push(v / d);
  }
  pairRatios.sort((x, y) => x - y);
  direct.sort((a, b) => a - b);
  viaService.sort((a, b) => a - b);
  const med = (xs: number[]) => percentile(xs, 50);
  const rows: Row[] = [
    { metric: 'TCP throughput, median', value: med(viaService), unit: 'MB/s', baseline: med(direct), baselineName: 'pod IP', ratio: med(viaService) / med(direct) },
    { metric: 'TCP throughput, min', value: viaService[0]!, unit: 'MB/s', baseline: direct[0]!, baselineName: 'pod IP', ratio: viaService[0]! / direct[0]! },
    { metric: 'TCP throughput, max', value: viaService.at(-1)!, unit: 'MB/s', baseline: direct.at(-1)!, baselineName: 'pod IP', ratio: viaService.at(-1)! / direct.at(-1)! },
    { metric: 'ClusterIP / pod IP of back-to-back pairs, median', value: med(pairRatios), unit: 'x' },
    { metric: 'ClusterIP / pod IP of back-to-back pairs, p25 / p75', value: percentile(pairRatios, 25), unit: `/ ${percentile(pairRatios, 75).toFixed(2)}` },
  ];
  console.log(`pod IP MB/s:    ${direct.map((x) => x.toFixed(0)).join(' ')}\nClusterIP MB/s: ${viaService.map((x) => x.toFixed(0)).join(' ')}`);
  printTable(`ClusterIP vs pod IP (${SAME_NODE ? 'same node' : 'node-1 → node-2'}; ${REPS} × ${MB} MB per path, busybox wget ← httpd)`, rows);
}

try {
  await main();
} finally {
  await run(process.execPath, [KUBETS_BIN, 'cluster', 'down', '--data-dir', dataDir, '--purge'], { timeoutMs: 180_000 });
  fs.rmSync(dataDir, { recursive: true, force: true });
}
