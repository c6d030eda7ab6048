// GET /stats/summary: node CPU and memory from the host (/proc and the root
// cgroup), pod and container numbers from CRI ListContainerStats. CPU rates
// (usageNanoCores) come from the previous sample of the same thing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rfc3339 } from '../../api/time.js';
import type { RuntimeService } from '../../cri/types.js';
import { CRI_LABELS } from '../seams.js';

export interface CpuStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  usageBytes?: number;
  workingSetBytes: number;
  availableBytes?: number;
}

export interface ContainerSummary {
  name: string;
  startTime?: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface PodSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime?: string;
  containers: ContainerSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; startTime?: string; cpu?: CpuStats; memory?: MemoryStats };
  pods: PodSummary[];
}

/** Cumulative CPU seconds (ns) of the whole host, from the root cpuacct cgroup (v1) or cpu.stat (v2). */
async function hostCpuNs(root: string): Promise<number | undefined> {
  const v1 = await readFile(join(root, 'sys/fs/cgroup/cpu,cpuacct/cpuacct.usage'), 'utf8').catch(() => null)
    ?? await readFile(join(root, 'sys/fs/cgroup/cpuacct/cpuacct.usage'), 'utf8').catch(() => null);
  if (v1) return Number(v1.trim());
  const v2 = await readFile(join(root, 'sys/fs/cgroup/cpu.stat'), 'utf8').catch(() => null);
  const m = v2 && /^usage_usec (\d+)$/m.exec(v2);
  if (m) return Number(m[1]) * 1000;
  // Fall back to /proc/stat: user+nice+system+irq+softirq+steal jiffies (USER_HZ 100).
  const stat = await readFile(join(root, 'proc/stat'), 'utf8').catch(() => null);
  const cpu = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!cpu) return undefined;
  const busy = (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
  return busy * 1e7;
}

async function hostMemory(root: string): Promise<{ total: number; free: number; available: number } | undefined> {
  const text = await readFile(join(root, 'proc/meminfo'), 'utf8').catch(() => null);
  if (!text) return undefined;
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { total: kb('MemTotal'), free: kb('MemFree'), available: kb('MemAvailable') };
}

export class StatsProvider {
  private readonly last = new Map<string, { atMs: number; ns: number }>();

  constructor(
    private readonly runtime: RuntimeService,
    private readonly nodeName: string,
    private readonly hostRoot = '/',
    private readonly now: () => number = Date.now,
  ) {}

  private cpu(key: string, ns: number, atMs: number): CpuStats {
    const prev = this.last.get(key);
    this.last.set(key, { atMs, ns });
    const out: CpuStats = { time: rfc3339(atMs), usageCoreNanoSeconds: ns };
    if (prev && atMs > prev.atMs && ns >= prev.ns) out.usageNanoCores = Math.round(((ns - prev.ns) / (atMs - prev.atMs)) * 1e6);
    return out;
  }

  async summary(): Promise<Summary> {
    const nowMs = this.now();
    const time = rfc3339(nowMs);
    const [cpuNs, mem, stats] = await Promise.all([hostCpuNs(this.hostRoot), hostMemory(this.hostRoot), this.runtime.listContainerStats({})]);
    const node: Summary['node'] = { nodeName: this.nodeName };
    if (cpuNs !== undefined) node.cpu = this.cpu('node', cpuNs, nowMs);
    if (mem) node.memory = { time, usageBytes: mem.total - mem.free, workingSetBytes: mem.total - mem.available, availableBytes: mem.available };

    // Pod identity comes from the sandbox (its metadata is the pod's), found through the container.
    const [containers, sandboxes] = await Promise.all([this.runtime.listContainers({}), this.runtime.listPodSandbox({})]);
    const sandboxOf = new Map(containers.map((c) => [c.id, c.pod_sandbox_id]));
    const sandboxById = new Map(sandboxes.map((sb) => [sb.id, sb]));
    const pods = new Map<string, PodSummary>();
    for (const s of stats) {
      const l = s.attributes.labels ?? {};
      const sb = sandboxById.get(sandboxOf.get(s.attributes.id) ?? '');
      const uid = sb?.metadata.uid ?? l[CRI_LABELS.podUid];
      if (!uid) continue;
      let pod = pods.get(uid);
      if (!pod) {
        pod = {
          podRef: { name: sb?.metadata.name ?? l[CRI_LABELS.podName] ?? '', namespace: sb?.metadata.namespace ?? l[CRI_LABELS.podNamespace] ?? '', uid },
          containers: [],
        };
        if (sb?.created_at) pod.startTime = rfc3339(Number(BigInt(sb.created_at) / 1_000_000n));
        pods.set(uid, pod);
      }
      const c: ContainerSummary = { name: s.attributes.metadata?.name ?? l[CRI_LABELS.containerName] ?? '' };
      const cpuNs = s.cpu?.usage_core_nano_seconds?.value;
      if (cpuNs !== undefined) c.cpu = this.cpu(`c/${s.attributes.id}`, Number(cpuNs), nowMs);
      const ws = s.memory?.working_set_bytes?.value;
      if (ws !== undefined) c.memory = { time, workingSetBytes: Number(ws) };
      pod.containers.push(c);
    }
    for (const pod of pods.values()) {
      const withCpu = pod.containers.filter((c) => c.cpu);
      if (withCpu.length) {
        const cpu: CpuStats = { time, usageCoreNanoSeconds: withCpu.reduce((a, c) => a + c.cpu!.usageCoreNanoSeconds, 0) };
        if (withCpu.every((c) => c.cpu!.usageNanoCores !== undefined)) cpu.usageNanoCores = withCpu.reduce((a, c) => a + c.cpu!.usageNanoCores!, 0);
        pod.cpu = cpu;
      }
      const withMem = pod.containers.filter((c) => c.memory);
      if (withMem.length) pod.memory = { time, workingSetBytes: withMem.reduce((a, c) => a + c.memory!.workingSetBytes, 0) };
    }
    // Forget rates of containers that are gone.
    const live = new Set(['node', ...stats.map((s) => `c/${s.attributes.id}`)]);
    for (const k of this.last.keys()) if (!live.has(k)) this.last.delete(k);
    return { node, pods: [...pods.values()] };
  }
}
