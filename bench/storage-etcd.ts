// bench/storage-etcd: the etcd backend's throughput and latency against a
// real etcd, each beside the same operation made directly with the etcd3
// client library in the same run (the floor the backend builds on).
import { Etcd3 } from 'etcd3';
import { openEtcdStorage } from '../src/storage/etcd.js';
import type { Storage } from '../src/storage/interface.js';

export interface Row {
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
}

/** How long each throughput phase runs. */
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 2000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** A pod-like JSON value of about `size` bytes. */
function podLike(i: number, size = 2048): Buffer {
  const base = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'bench', uid: `uid-${i}`, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'c', image: 'kubets.local/busybox:1.35' }], nodeName: `node-${i % 100}` },
    status: { phase: 'Running', podIP: `10.42.${(i >> 8) & 255}.${i & 255}` },
  };
  const json = JSON.stringify(base);
  return Buffer.from(JSON.stringify({ ...base, pad: 'x'.repeat(Math.max(0, size - json.length - 10)) }));
}

/** Runs `op` from `concurrency` workers for half a phase; returns how many ran and for how long. */
async function rate(concurrency: number, op: () => Promise<unknown>): Promise<{ done: number; ms: number }> {
  let done = 0;
  const start = nowMs();
  const end = start + PHASE_MS / 2;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nowMs() < end) {
        await op();
        done++;
      }
    }),
  );
  return { done, ms: nowMs() - start };
}

async function latencies(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = nowMs();
    await op(i);
    out.push(nowMs() - t);
  }
  return out.sort((a, b) => a - b);
}

/** Write → event latency through the backend's watch. */
async function storeWatchDelivery(store: Storage, n: number): Promise<number[]> {
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

/** The same with the library's own watcher: put, then wait for its 'put' event. */
async function rawWatchDelivery(client: Etcd3, prefix: string, n: number): Promise<number[]> {
  const watcher = await client.watch().prefix(`${prefix}/`).create();
  let arrived: (() => void) | undefined;
  watcher.on('put', () => arrived?.());
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = nowMs();
    const seen = new Promise<void>((r) => (arrived = r));
    await client.kv.put({ key: Buffer.from(`${prefix}/k${i}`), value: podLike(i) });
    await seen;
    out.push(nowMs() - t);
  }
  await watcher.cancel();
  return out.sort((a, b) => a - b);
}

const row = (metric: string, value: number, unit: string, baseline: number): Row => ({
  metric,
  value,
  unit,
  baseline,
  ratio: value / baseline,
});

export async function benchEtcd(endpoints: string[]): Promise<Row[]> {
  const runId = `/bench-${process.pid}-${Date.now()}`;
  const client = new Etcd3({ hosts: endpoints });
  const store = await openEtcdStorage({ endpoints, prefix: `${runId}/kubets` });
  try {
    const rawKey = (tag: string, i: number) => Buffer.from(`${runId}/raw/${tag}/pod-${i}`);
    // Warm up connections and etcd before anything is measured.
    for (let i = 0; i < 200; i++) await client.kv.put({ key: rawKey('warm', i), value: podLike(i) });
    for (let i = 0; i < 200; i++) await store.create(`/pods/warm/pod-${i}`, podLike(i));
    // Raw and backend phases alternate, so background load on a shared machine hits both alike.
    let rawN = 0;
    let storeN = 0;
    const paired = async (concurrency: number) => {
      const raw = { ops: 0, ms: 0 };
      const ours = { ops: 0, ms: 0 };
      for (let round = 0; round < 2; round++) {
        const r = await rate(concurrency, () => {
          const i = rawN++;
          return client.kv.put({ key: rawKey('p', i), value: podLike(i) });
        });
        raw.ops += r.done;
        raw.ms += r.ms;
        const o = await rate(concurrency, () => {
          const i = storeN++;
          return store.create(`/pods/p/pod-${i}`, podLike(i));
        });
        ours.ops += o.done;
        ours.ms += o.ms;
      }
      return { raw: (raw.ops / raw.ms) * 1000, ours: (ours.ops / ours.ms) * 1000 };
    };
    const one = await paired(1);
    const many = await paired(50);

    const n = Math.min(SAMPLES, storeN, rawN);
    const gets = await latencies(n, (i) => store.get(`/pods/p/pod-${i}`));
    const rawGets = await latencies(n, (i) => client.kv.range({ key: rawKey('p', i) }));
    const wd = await storeWatchDelivery(store, Math.min(SAMPLES, 500));
    const rawWd = await rawWatchDelivery(client, `${runId}/raw/wd`, Math.min(SAMPLES, 500));

    return [
      row('creates/s, 1 writer (2 KB pods)', one.ours, 'ops/s', one.raw),
      row('creates/s, 50 writers (2 KB pods)', many.ours, 'ops/s', many.raw),
      row('get p50', percentile(gets, 50), 'ms', percentile(rawGets, 50)),
      row('get p99', percentile(gets, 99), 'ms', percentile(rawGets, 99)),
      row('watch delivery p50 (write → event)', percentile(wd, 50), 'ms', percentile(rawWd, 50)),
      row('watch delivery p99 (write → event)', percentile(wd, 99), 'ms', percentile(rawWd, 99)),
    ];
  } finally {
    // Leave the shared etcd as we found it.
    await client.delete().prefix(`${runId}/`).exec().catch(() => undefined);
    await store.close();
    client.close();
  }
}
