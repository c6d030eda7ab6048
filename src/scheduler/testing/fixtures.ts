// Small builders for scheduler tests and the benchmark.
import { SchedulerCache } from '../cache/cache.js';
import { buildFramework } from '../framework/profile.js';
import type { Framework } from '../framework/framework.js';
import type { ProfileConfig } from '../framework/config.js';
import { inTreeRegistry } from '../plugins/registry.js';
import type { Node, Pod, PodSpec, Taint } from '../types.js';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  extra?: Record<string, string>;
}

export function makeNode(name: string, o: NodeOpts = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...(o.extra ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable },
  };
}

export interface PodOpts {
  ns?: string;
  cpu?: string;
  memory?: string;
  node?: string;
  labels?: Record<string, string>;
  priority?: number;
  spec?: Partial<PodSpec>;
  startTime?: string;
  extra?: Record<string, string>;
}

export function makePod(name: string, o: PodOpts = {}): Pod {
  const requests: Record<string, string> = { ...(o.extra ?? {}) };
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${o.ns ?? 'default'}-${name}`, labels: o.labels ?? {} },
    spec: {
      containers: [{ name: 'c', resources: { requests } }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.spec ?? {}),
    },
    status: o.startTime ? { startTime: o.startTime } : {},
  };
}

export function makeCache(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.addNode(n);
  for (const p of pods) c.addPod(p);
  return c;
}

/** The default profile (or `cfg`) with a deterministic "random": always index 0. */
export function defaultFramework(cfg?: ProfileConfig, random: (n: number) => number = () => 0): Framework {
  return buildFramework(cfg, inTreeRegistry(), { random });
}
