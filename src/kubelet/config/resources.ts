// cgroup resources from requests/limits, and the OOM score a container gets
// for its pod's QoS class, by upstream's formulas.
import type { Container, Pod } from '../../api/core-v1.js';
import { podQosClass } from '../../api/qos.js';
import { milliValue, parseQuantity, value as quantityValue } from '../../api/quantity.js';
import type { LinuxContainerResources } from '../../cri/types.js';

export const CPU_PERIOD = 100_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const MIN_QUOTA = 1_000;
export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

function quantity(v: string | number | undefined): { milli: bigint; value: bigint } | undefined {
  if (v === undefined) return undefined;
  const q = parseQuantity(String(v));
  return { milli: milliValue(q), value: quantityValue(q) };
}

export function milliCpuToShares(milli: bigint): number {
  if (milli <= 0n) return MIN_SHARES;
  const shares = Number((milli * 1024n) / 1000n);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

export function milliCpuToQuota(milli: bigint, period = CPU_PERIOD): number {
  if (milli <= 0n) return 0;
  const quota = Number((milli * BigInt(period)) / 1000n);
  return Math.max(MIN_QUOTA, quota);
}

export interface ContainerCpuMem {
  cpuRequestMilli: bigint;
  cpuLimitMilli?: bigint;
  memoryRequest: bigint;
  memoryLimit?: bigint;
}

/** Requests default to limits when only limits are set (API defaulting does the same). */
export function containerCpuMem(c: Container): ContainerCpuMem {
  const cpuL = quantity(c.resources?.limits?.cpu);
  const memL = quantity(c.resources?.limits?.memory);
  const cpuR = quantity(c.resources?.requests?.cpu) ?? cpuL;
  const memR = quantity(c.resources?.requests?.memory) ?? memL;
  return { cpuRequestMilli: cpuR?.milli ?? 0n, cpuLimitMilli: cpuL?.milli, memoryRequest: memR?.value ?? 0n, memoryLimit: memL?.value };
}

/** Upstream's OOM score: Guaranteed -997, BestEffort 1000, Burstable by memory request share of the node. */
export function oomScoreAdj(pod: Pod, c: Container, nodeMemoryCapacity: bigint): number {
  const qos = podQosClass(pod.spec);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const req = containerCpuMem(c).memoryRequest;
  if (nodeMemoryCapacity <= 0n) return BEST_EFFORT_OOM_SCORE_ADJ - 1;
  const adj = 1000 - Number((1000n * req) / nodeMemoryCapacity);
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

export function containerLinuxResources(pod: Pod, c: Container, nodeMemoryCapacity: bigint): LinuxContainerResources {
  const r = containerCpuMem(c);
  return {
    cpu_shares: String(milliCpuToShares(r.cpuRequestMilli)),
    cpu_period: String(CPU_PERIOD),
    cpu_quota: String(r.cpuLimitMilli === undefined ? 0 : milliCpuToQuota(r.cpuLimitMilli)),
    memory_limit_in_bytes: String(r.memoryLimit ?? 0n),
    oom_score_adj: String(oomScoreAdj(pod, c, nodeMemoryCapacity)),
  };
}

export interface PodResourceConfig {
  cpuShares: number;
  /** undefined: no quota (some container has no cpu limit). */
  cpuQuota?: number;
  cpuPeriod: number;
  /** undefined: unlimited (some container has no memory limit). */
  memoryLimit?: bigint;
}

/**
 * The pod cgroup's limits: sums over app containers, or the largest init
 * container when that is bigger (init containers run one at a time).
 */
export function podResourceConfig(pod: Pod): PodResourceConfig {
  const qos = podQosClass(pod.spec);
  if (qos === 'BestEffort') return { cpuShares: MIN_SHARES, cpuPeriod: CPU_PERIOD };
  let cpuReq = 0n;
  let cpuLim: bigint | undefined = 0n;
  let memLim: bigint | undefined = 0n;
  for (const c of pod.spec.containers) {
    const r = containerCpuMem(c);
    cpuReq += r.cpuRequestMilli;
    cpuLim = cpuLim === undefined || r.cpuLimitMilli === undefined ? undefined : cpuLim + r.cpuLimitMilli;
    memLim = memLim === undefined || r.memoryLimit === undefined ? undefined : memLim + r.memoryLimit;
  }
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerCpuMem(c);
    if (r.cpuRequestMilli > cpuReq) cpuReq = r.cpuRequestMilli;
    if (cpuLim !== undefined) cpuLim = r.cpuLimitMilli === undefined ? undefined : r.cpuLimitMilli > cpuLim ? r.cpuLimitMilli : cpuLim;
    if (memLim !== undefined) memLim = r.memoryLimit === undefined ? undefined : r.memoryLimit > memLim ? r.memoryLimit : memLim;
  }
  return {
    cpuShares: milliCpuToShares(cpuReq),
    cpuPeriod: CPU_PERIOD,
    ...(cpuLim !== undefined && cpuLim > 0n ? { cpuQuota: milliCpuToQuota(cpuLim) } : {}),
    ...(memLim !== undefined && memLim > 0n ? { memoryLimit: memLim } : {}),
  };
}
