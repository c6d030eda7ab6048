// NodeResourcesFit: requests (pods count, cpu, memory, ephemeral storage,
// extended resources) must fit in allocatable minus what is requested; the
// score follows the configured strategy (LeastAllocated by default).
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { ConfigError } from '../framework/config.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import { MAX_NODE_SCORE, type EnqueueExtensions, type FilterPlugin, type ScorePlugin } from '../framework/interfaces.js';
import { Status } from '../framework/status.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY } from '../resources.js';
import { resourceSpecs, requestedAndAllocatable, type ResourceSpec } from './resource-allocation.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

export interface InsufficientResource {
  resource: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

const NO_SHORTFALL: readonly InsufficientResource[] = Object.freeze([]);
const NOTHING_IGNORED: ReadonlySet<string> = new Set();

/** `out` with the shortfall of one resource added, if there is one; allocated only then. */
function addShortfall(out: InsufficientResource[] | undefined, name: string, want: number, have: number, inUse: number): InsufficientResource[] | undefined {
  if (want > 0 && have < want + inUse) (out ??= []).push({ resource: name, reason: `Insufficient ${name}`, requested: want, used: inUse, capacity: have });
  return out;
}

/**
 * Every resource the pod does not fit on the node for, in upstream's order.
 * Filter asks this for every node of every pod, and most fit: a pod that fits
 * gets a shared empty list, with nothing allocated.
 */
export function fitsRequest(pod: PodInfo, nodeInfo: NodeInfo, ignored: ReadonlySet<string> = NOTHING_IGNORED): readonly InsufficientResource[] {
  let out: InsufficientResource[] | undefined;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const podCount = nodeInfo.pods.length;
  if (podCount + 1 > alloc.allowedPodNumber) {
    out = [{ resource: 'pods', reason: 'Too many pods', requested: 1, used: podCount, capacity: alloc.allowedPodNumber }];
  }
  const req = pod.requests;
  if (req.isZero()) return out ?? NO_SHORTFALL;
  out = addShortfall(out, CPU, req.milliCPU, alloc.milliCPU, used.milliCPU);
  out = addShortfall(out, MEMORY, req.memory, alloc.memory, used.memory);
  out = addShortfall(out, EPHEMERAL_STORAGE, req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
  if (req.scalar) {
    for (const [name, want] of req.scalar) {
      if (ignored.has(name) || (ignored.size && [...ignored].some((g) => g.endsWith('/') && name.startsWith(g)))) continue;
      out = addShortfall(out, name, want, alloc.get(name), used.get(name));
    }
  }
  return out ?? NO_SHORTFALL;
}

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

function readStrategy(args: Record<string, unknown>): { type: ScoringStrategy; resources: ResourceSpec[] } {
  const s = (args.scoringStrategy ?? {}) as { type?: unknown; resources?: unknown };
  const type = s.type ?? 'LeastAllocated';
  if (type !== 'LeastAllocated' && type !== 'MostAllocated') {
    throw new ConfigError(`scoringStrategy.type: Unsupported value: ${JSON.stringify(type)}: supported values: "LeastAllocated", "MostAllocated"`);
  }
  return { type, resources: resourceSpecs(s.resources) };
}

export class NodeResourcesFitPlugin implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NODE_RESOURCES_FIT;
  private readonly strategy: ScoringStrategy;
  private readonly resources: ResourceSpec[];
  private readonly ignored: ReadonlySet<string>;

  constructor(args: Record<string, unknown> = {}) {
    const { type, resources } = readStrategy(args);
    this.strategy = type;
    this.resources = resources;
    const ign = [...((args.ignoredResources as string[] | undefined) ?? []), ...((args.ignoredResourceGroups as string[] | undefined) ?? []).map((g) => `${g}/`)];
    this.ignored = new Set(ign);
  }

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const insufficient = fitsRequest(pod, nodeInfo, this.ignored);
    return insufficient.length ? Status.unschedulable(...insufficient.map((i) => i.reason)) : Status.SUCCESS;
  }

  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): { score: number } {
    let total = 0;
    let weights = 0;
    for (const r of this.resources) {
      const { requested, allocatable } = requestedAndAllocatable(pod, nodeInfo, r.name, false);
      if (allocatable === 0) continue;
      let s: number;
      if (this.strategy === 'LeastAllocated') s = requested > allocatable ? 0 : Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
      else s = requested > allocatable ? MAX_NODE_SCORE : Math.trunc((requested * MAX_NODE_SCORE) / allocatable);
      total += s * r.weight;
      weights += r.weight;
    }
    return { score: weights === 0 ? 0 : Math.trunc(total / weights) };
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', action: ActionType.Delete | ActionType.UpdatePodScaleDown } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeAllocatable } },
    ];
  }
}
