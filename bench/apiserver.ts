// bench/apiserver: the API server over HTTPS, each figure beside the same
// measurement against the raw store in the same run. Run: npm run bench:apiserver
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { openSqliteStorage } from '../src/storage/sqlite.js';
import { startServerProcess } from '../src/testing/server-process.js';
import { cpuSeconds, latencies, nowMs, percentile, podLike, printTable, rssMiB, throughput, withRatio, type Row } from './report.js';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, labels: { app: 'bench', shard: String(i % 10) } },
  spec: { containers: [{ name: 'c', image: 'kubets.local/busybox:1.35', resources: { requests: { cpu: '10m', memory: '16Mi' } } }], nodeName: `node-${i % 100}` },
});

async function main(): Promise<void> {
  const server = await startServerProcess({ command: 'apiserver', env: { KUBETS_LOG_LEVEL: 'warn' }, nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) });
  const pki = path.join(server.dataDir, 'pki');
  // The clients use undici, a lean HTTP/1.1 client: on these 2 shared cores,
  // every microsecond the load generator spends is one the server does not get.
  const tls = { ca: fs.readFileSync(path.join(pki, 'ca.crt')), cert: fs.readFileSync(path.join(pki, 'admin.crt')), key: fs.readFileSync(path.join(pki, 'admin.key')) };
  const pool = new Pool(server.url, { connections: 50, connect: tls });
  const call = async (method: 'GET' | 'POST' | 'DELETE', p: string, body?: unknown): Promise<string> => {
    const res = await pool.request({ method, path: p, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${p}: ${res.statusCode} ${text}`);
    return text;
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-bench-raw-'));
  const raw = openSqliteStorage(tmp);
  const rows: Row[] = [];
  try {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const idleRss = rssMiB(server.child.pid!);

    // 100 watchers on pods, each timing delivery of marked writes.
    const delivered: number[] = [];
    const pending = new Map<string, number>();
    // Each watcher on its own connection, as 100 separate clients would be.
    const watchers = await Promise.all(Array.from({ length: 100 }, async () => {
      const conn = new Pool(server.url, { connections: 1, connect: tls });
      const res = await conn.request({ method: 'GET', path: '/api/v1/namespaces/bench/configmaps?watch=true&labelSelector=probe%3Dyes' });
      if (res.statusCode !== 200) throw new Error(`watch: ${res.statusCode} ${await res.body.text()}`);
      let buf = '';
      res.body.setEncoding('utf8');
      res.body.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          // Only the object's name is needed to time the delivery; parsing the whole event
          // 100 times over would measure this one process's JSON.parse, not the server.
          const name = /"name":"([^"]+)"/.exec(line)?.[1] ?? '';
          const t = pending.get(name);
          if (t !== undefined) delivered.push(nowMs() - t);
        }
      });
      res.body.on('error', () => {});
      return conn;
    }));

    // Creates: 50 concurrent HTTPS clients, then the raw store the same way.
    // Warm-up creates first, then deleted (not counted): the timed ones measure the JIT-compiled steady state.
    await throughput(WARMUP, 50, (i) => call('POST', '/api/v1/namespaces/bench/pods', pod(PODS + i)));
    await throughput(WARMUP, 50, (i) => call('DELETE', `/api/v1/namespaces/bench/pods/pod-${PODS + i}?gracePeriodSeconds=0`));
    const cpuBefore = { server: cpuSeconds(server.child.pid!), driver: cpuSeconds('self') };
    const creates = await throughput(PODS, 50, (i) => call('POST', '/api/v1/namespaces/bench/pods', pod(i)));
    const cpuPerCreate = (pid: number | 'self', before: number) => ((cpuSeconds(pid) - before) / PODS) * 1e6;
    const serverCpu = cpuPerCreate(server.child.pid!, cpuBefore.server);
    const driverCpu = cpuPerCreate('self', cpuBefore.driver);
    const rawCreates = await throughput(PODS, 50, (i) => raw.create(`/core/pods/bench/pod-${i}`, podLike(i)));
    rows.push(withRatio({ metric: `pod creates/s over HTTPS, 50 clients (${PODS} pods)`, value: creates, unit: 'ops/s', baseline: rawCreates, baselineName: 'raw SQLite store' }));
    rows.push({ metric: 'CPU per create: server (all threads)', value: serverCpu, unit: 'µs' });
    rows.push({ metric: 'CPU per create: bench driver (the 50 clients)', value: driverCpu, unit: 'µs' });

    // LIST of every pod.
    const lists = await latencies(10, () => call('GET', '/api/v1/namespaces/bench/pods'));
    const rawLists = await latencies(10, () => raw.list('/core/pods/bench/'));
    rows.push(withRatio({ metric: `LIST ${PODS} pods, p50`, value: percentile(lists, 50), unit: 'ms', baseline: percentile(rawLists, 50), baselineName: 'raw store list' }));

    // Mutating calls at 100 writes/s, and the 100 watchers' delivery of them.
    // The first events to 100 fresh watch streams pay one-off costs (JIT, TLS
    // buffers): 50 paced writes warm them up first and are not counted.
    const mutLat: number[] = [];
    const writes = 500;
    const paced = async (n: number, prefix: string, measure: boolean) => {
      const start = nowMs();
      await Promise.all(Array.from({ length: n }, async (_, i) => {
        await new Promise((r) => setTimeout(r, Math.max(0, start + i * 10 - nowMs())));
        const name = `${prefix}-${i}`;
        const t = nowMs();
        if (measure) pending.set(name, t);
        await call('POST', '/api/v1/namespaces/bench/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { probe: 'yes' } }, data: { i: String(i) } });
        if (measure) mutLat.push(nowMs() - t);
      }));
    };
    // The LIST phase left ~400 MB of response garbage in this process: collect it now, not in the middle of the timed deliveries.
    (globalThis as { gc?: () => void }).gc?.();
    await paced(50, 'warmup', false);
    await paced(writes, 'probe', true);
    await new Promise((r) => setTimeout(r, 500));
    mutLat.sort((a, b) => a - b);
    delivered.sort((a, b) => a - b);
    const rawMut = await latencies(writes, (i) => raw.create(`/core/configmaps/bench/probe-${i}`, podLike(i, 300)));
    const rawWatch = await raw.watch('/core/configmaps/', { recursive: true });
    const rawIt = rawWatch[Symbol.asyncIterator]();
    const rawDelivery = await latencies(writes, async (i) => {
      await raw.create(`/core/configmaps/bench/w-${i}`, podLike(i, 300));
      await rawIt.next();
    });
    rawWatch.stop();
    rows.push(withRatio({ metric: 'mutating call p99 at 100 writes/s', value: percentile(mutLat, 99), unit: 'ms', baseline: percentile(rawMut, 99), baselineName: 'raw store create' }));
    rows.push(withRatio({ metric: `watch delivery p99, 100 watchers (${delivered.length} events)`, value: percentile(delivered, 99), unit: 'ms', baseline: percentile(rawDelivery, 99), baselineName: 'raw store watch, 1 watcher' }));
    rows.push(withRatio({ metric: `server RSS holding ${PODS} pods`, value: rssMiB(server.child.pid!), unit: 'MiB', baseline: idleRss, baselineName: 'server RSS when idle' }));
    await Promise.all(watchers.map((w) => w.destroy()));
    printTable(`bench/apiserver (${os.cpus().length} cores, SQLite, kubets apiserver as its own process)`, rows);
  } finally {
    await pool.destroy();
    await raw.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    await server.stop();
  }
}

await main();
