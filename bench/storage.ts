// bench/storage: the store's throughput and latency, each figure beside a
// baseline measured in the same run. Run: npm run bench:storage
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Storage } from '../src/storage/interface.js';
import { openMemoryStorage } from '../src/storage/memory.js';
import { openSqliteStorage } from '../src/storage/sqlite.js';
import { latencies, nowMs, percentile, podLike, printTable, throughput, withRatio, type Row } from './report.js';

const N = Number(process.env.BENCH_N ?? 20_000);

/** Raw better-sqlite3 with the same pragmas: the floor our SQLite backend builds on. */
function rawSqlite(dir: string) {
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, key TEXT, value BLOB); CREATE INDEX t_key ON t (key, id)');
  const insert = db.prepare('INSERT INTO t (key, value) VALUES (?, ?)');
  const get = db.prepare('SELECT * FROM t WHERE key = ? ORDER BY id DESC LIMIT 1');
  return {
    create: async (i: number) => insert.run(`/pods/bench/pod-${i}`, podLike(i)),
    get: (i: number) => get.get(`/pods/bench/pod-${i}`),
    close: () => db.close(),
  };
}

async function watchDelivery(store: Storage, n: number): Promise<number[]> {
  const watcher = await store.watch('/wd', { recursive: true });
  const it = watcher[Symbol.asyncIterator]();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = nowMs();
    await store.create(`/wd/k${i}`, podLike(i));
    await it.next();
    out.push(nowMs() - t);
  }
  watcher.stop();
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-bench-'));
  try {
    const rows: Row[] = [];
    const raw = rawSqlite(tmp);
    const rawOne = await throughput(N, 1, raw.create);
    const rawGets = await latencies(5000, (i) => raw.get(i));
    raw.close();

    const one = openSqliteStorage(path.join(tmp, 'one'));
    const c1 = await throughput(N, 1, (i) => one.create(`/pods/bench/pod-${i}`, podLike(i)));
    await one.close();
    const many = openSqliteStorage(path.join(tmp, 'many'));
    const c50 = await throughput(N, 50, (i) => many.create(`/pods/bench/pod-${i}`, podLike(i)));
    const gets = await latencies(5000, (i) => many.get(`/pods/bench/pod-${i}`));
    const wd = await watchDelivery(many, 2000);
    await many.close();
    const mem = openMemoryStorage();
    const wdMem = await watchDelivery(mem, 2000);
    await mem.close();

    rows.push(withRatio({ metric: 'sqlite creates/s, 1 writer', value: c1, unit: 'ops/s', baseline: rawOne, baselineName: 'raw better-sqlite3 INSERT' }));
    rows.push(withRatio({ metric: 'sqlite creates/s, 50 writers', value: c50, unit: 'ops/s', baseline: rawOne, baselineName: 'raw better-sqlite3 INSERT' }));
    rows.push(withRatio({ metric: 'sqlite get p50', value: percentile(gets, 50), unit: 'ms', baseline: percentile(rawGets, 50), baselineName: 'raw SELECT' }));
    rows.push(withRatio({ metric: 'sqlite get p99', value: percentile(gets, 99), unit: 'ms', baseline: percentile(rawGets, 99), baselineName: 'raw SELECT' }));
    rows.push(withRatio({ metric: 'sqlite watch delivery p99', value: percentile(wd, 99), unit: 'ms', baseline: percentile(wdMem, 99), baselineName: 'memory store' }));

    // RSS holding 100,000 objects: the store keeps them on disk, not in memory.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const big = openSqliteStorage(path.join(tmp, 'big'));
    await throughput(100_000, 50, (i) => big.create(`/pods/bench/pod-${i}`, podLike(i)));
    const t = nowMs();
    const count = await big.count('/pods/bench');
    const countMs = nowMs() - t;
    global.gc?.();
    const rssAfter = process.memoryUsage().rss / 2 ** 20;
    await big.close();
    rows.push(withRatio({ metric: `sqlite RSS holding ${count} objects`, value: rssAfter, unit: 'MiB', baseline: rssBefore, baselineName: 'RSS before loading' }));
    rows.push({ metric: `sqlite count of ${count} objects`, value: countMs, unit: 'ms' });

    printTable(`bench/storage: SQLite (${os.cpus().length} cores, ${N} objects of 2 KB)`, rows);

    if (process.env.BENCH_ETCD !== '0') {
      const { startEtcdCluster } = await import('../src/storage/testing/etcd-harness.js');
      const { benchEtcd } = await import('./storage-etcd.js');
      const cluster = await startEtcdCluster({ members: 1 });
      try {
        printTable('bench/storage: etcd backend vs raw etcd3 client puts (1 member)', await benchEtcd(cluster.endpoints));
      } finally {
        await cluster.stop();
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
