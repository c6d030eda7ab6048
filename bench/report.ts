// Shared benchmark helpers: timing, percentiles, process figures and the printed table.
import fs from 'node:fs';

export interface Row {
  metric: string;
  value: number;
  unit: string;
  /** The same measurement against the baseline, in the same run. */
  baseline?: number;
  baselineName?: string;
  /** value / baseline. */
  ratio?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Resident memory of a process in MiB, from /proc (NaN once it is gone). */
export function rssMiB(pid: number | 'self'): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** User+system CPU seconds a process (every thread) has used so far. */
export function cpuSeconds(pid: number | 'self'): number {
  if (pid === 'self') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

/** CPU seconds the whole machine spent busy (all cores, /proc/stat: everything but idle and iowait). */
export function machineCpuSeconds(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

/** Runs `op` from `concurrency` workers until `total` operations are done; returns ops/s. */
export async function throughput(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = nowMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return (total / (nowMs() - start)) * 1000;
}

/** Per-call latencies in ms, sorted. */
export async function latencies(n: number, op: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = nowMs();
    await op(i);
    out.push(nowMs() - t);
  }
  return out.sort((a, b) => a - b);
}

export function withRatio(row: Row): Row {
  return row.baseline ? { ...row, ratio: row.value / row.baseline } : row;
}

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '' : n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3);

export function printTable(title: string, rows: Row[]): void {
  const lines = [
    ['metric', 'value', 'unit', 'baseline', 'ratio'],
    ...rows.map((r) => [
      r.metric,
      fmt(r.value),
      r.unit,
      r.baseline === undefined ? '' : `${fmt(r.baseline)} (${r.baselineName ?? 'baseline'})`,
      r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
    ]),
  ];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  console.log(`\n## ${title}\n`);
  for (const [i, l] of lines.entries()) {
    console.log(`| ${l.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

export function podLike(i: number, size = 2048): Buffer {
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
