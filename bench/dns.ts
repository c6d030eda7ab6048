// bench/dns: queries per second answered by `kubets dns` on loopback, measured
// with dnsperf, against 1,000 Services (ClusterIP and headless) held by a real
// API server. The DNS server runs as its own process, as in a cluster.
// Query mixes: cluster A hits, SRV, search-path misses (NXDOMAIN), PTR, and a
// mix of all of them. Forwarding is not measured (no real upstreams here).
// Run: npm run bench:dns (needs the dnsperf Debian package).
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Service } from '../src/client/types.js';
import { ClusterDnsIndex } from '../src/dns/cluster-index.js';
import { dnsQuery, encodeQuery } from '../src/dns/dns-client.js';
import { Forwarder } from '../src/dns/forwarder.js';
import { DnsHandler } from '../src/dns/server.js';
import { SERVICE_NAME_LABEL } from '../src/dns/cluster-index.js';
import { startTestControlPlane } from '../src/testing/control-plane.js';
import { KUBETS_BIN } from '../src/testing/server-process.js';
import { waitFor } from '../src/testing/wait-for.js';
import { nowMs, printTable, rssMiB, type Row } from './report.js';
import { freePort } from '../src/testing/free-port.js';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const OUTSTANDING = Number(process.env.BENCH_OUTSTANDING ?? 100);
const NAMESPACES = 10;
const run = promisify(execFile);

/** Runs `n` async jobs with at most `width` in flight. */
async function pool(n: number, width: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await job(next++);
  }));
}

interface DnsperfResult { qps: number; avgLatencyMs: number; lost: number; completed: number }

async function dnsperf(port: number, queries: string[], dir: string, name: string): Promise<DnsperfResult> {
  const file = path.join(dir, `${name}.txt`);
  fs.writeFileSync(file, queries.join('\n') + '\n');
  const { stdout } = await run('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(SECONDS), '-c', String(CLIENTS), '-q', String(OUTSTANDING), '-t', '2'], { maxBuffer: 16 << 20 });
  const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    avgLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    lost: num(/Queries lost:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
  };
}

async function main(): Promise<void> {
  await run('dnsperf', ['-h']).catch((err: { code?: string }) => {
    if (err.code === 'ENOENT') throw new Error('dnsperf is not installed (apt-get install dnsperf)');
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-bench-dns-'));
  const cp = await startTestControlPlane({ datastore: 'memory' });
  let child: ReturnType<typeof spawn> | undefined;
  try {
    for (let n = 0; n < NAMESPACES; n++) await cp.client.namespaces.create(undefined, { metadata: { name: `bench-${n}` } });
    // Nine in ten are ClusterIP (addresses allocated by the API server); one in ten is headless with 3 endpoints.
    await pool(SERVICES, 32, async (i) => {
      const ns = `bench-${i % NAMESPACES}`;
      const headless = i % 10 === 9;
      const svc: Service = { metadata: { name: `svc-${i}` }, spec: { ...(headless ? { clusterIP: 'None' } : {}), ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
      await cp.client.services.create(ns, svc);
      if (headless) {
        await cp.client.endpointslices.create(ns, {
          metadata: { name: `svc-${i}-x`, labels: { [SERVICE_NAME_LABEL]: `svc-${i}` } },
          addressType: 'IPv4',
          endpoints: [0, 1, 2].map((k) => ({ addresses: [`10.42.${(i >> 6) & 255}.${((i & 63) << 2) + k}`], hostname: `svc-${i}-${k}`, conditions: { ready: true } })),
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        });
      }
    });
    const clusterIPs = new Map<string, string>();
    for (const s of (await cp.client.services.listAll()).items) if (s.metadata.namespace?.startsWith('bench-') && s.spec?.clusterIP && s.spec.clusterIP !== 'None') clusterIPs.set(`${s.metadata.name}.${s.metadata.namespace}`, s.spec.clusterIP);

    const port = await freePort();
    child = spawn(process.execPath, [KUBETS_BIN, 'dns', '--kubeconfig', cp.server.kubeconfigPath, '--listen', `127.0.0.1:${port}`, '--upstream', '127.0.0.1:9', '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const last = `svc-${SERVICES - 1}.bench-${(SERVICES - 1) % NAMESPACES}.svc.cluster.local`;
    await waitFor(async () => (await dnsQuery(last, 'A', { port, timeoutMs: 500 })).rcode === 'NOERROR', { timeoutMs: 60_000, what: 'kubets dns serving every service' });

    const names = Array.from({ length: SERVICES }, (_, i) => `svc-${i}.bench-${i % NAMESPACES}.svc.cluster.local`);
    const mixes: Record<string, string[]> = {
      'A, service hit': names.map((n) => `${n} A`),
      'SRV, named port': names.map((n) => `_http._tcp.${n} SRV`),
      // What ndots:5 makes a pod send first for `svc-1.bench-1` from namespace bench-0.
      'A, search-path miss (NXDOMAIN)': names.map((n, i) => `${n.replace('.svc.cluster.local', '')}.bench-${(i + 1) % NAMESPACES}.svc.cluster.local A`),
      'PTR, cluster IP': [...clusterIPs.values()].map((ip) => `${ip.split('.').reverse().join('.')}.in-addr.arpa PTR`),
    };
    mixes['mixed (all of the above)'] = Object.values(mixes).flatMap((qs) => qs).sort(() => Math.random() - 0.5);

    const rows: Row[] = [];
    for (const [label, queries] of Object.entries(mixes)) {
      const r = await dnsperf(port, queries, dir, label.replace(/\W+/g, '-'));
      rows.push({ metric: `${label}: queries/s`, value: r.qps, unit: 'q/s', baseline: 10_000, baselineName: 'target', ratio: r.qps / 10_000 });
      rows.push({ metric: `${label}: average latency`, value: r.avgLatencyMs, unit: 'ms' });
      rows.push({ metric: `${label}: lost`, value: r.lost, unit: `of ${r.completed + r.lost}` });
    }
    // The same questions straight into the handler, no sockets: the CPU cost of an answer.
    const index = new ClusterDnsIndex();
    for (const s of (await cp.client.services.listAll()).items) index.upsertService(s);
    for (const s of (await cp.client.endpointslices.listAll()).items) index.upsertSlice(s);
    const wire = mixes['mixed (all of the above)']!.map((line, i) => {
      const [name, type] = line.split(' ');
      return encodeQuery(name!, type!, i & 0xffff);
    });
    for (const [label, cache] of [['handler only, answer cache off', false], ['handler only, answer cache on', true]] as const) {
      const handler = new DnsHandler(index, new Forwarder({ upstreams: [] }), undefined, cache);
      const n = 200_000;
      for (let i = 0; i < 20_000; i++) handler.handle(wire[i % wire.length]!, true);
      const t0 = nowMs();
      for (let i = 0; i < n; i++) handler.handle(wire[i % wire.length]!, true);
      rows.push({ metric: `${label}: answers/s (one core)`, value: (n / (nowMs() - t0)) * 1000, unit: 'q/s' });
    }
    const rss = rssMiB(child.pid!);
    rows.push({ metric: `kubets dns RSS with ${SERVICES} services`, value: rss, unit: 'MiB' });
    printTable(`kubets dns: ${SERVICES} services, dnsperf -c ${CLIENTS} -q ${OUTSTANDING}, ${SECONDS} s per mix, ${os.cpus().length} CPUs`, rows);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await cp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
