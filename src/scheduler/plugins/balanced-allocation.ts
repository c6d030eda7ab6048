// NodeResourcesBalancedAllocation: prefers nodes whose resource fractions
// (requested / allocatable, pod included) stay close to each other.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { ActionType, type ClusterEventWithHint } from '../framework/events.js';
import { MAX_NODE_SCORE, type EnqueueExtensions, type ScorePlugin } from '../framework/interfaces.js';
import { requestedAndAllocatable, resourceSpecs, type ResourceSpec } from './resource-allocation.js';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

export class BalancedAllocationPlugin implements ScorePlugin, EnqueueExtensions {
  readonly name = BALANCED_ALLOCATION;
  private readonly resources: ResourceSpec[];

  constructor(args: Record<string, unknown> = {}) {
    this.resources = resourceSpecs(args.resources);
  }

  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): { score: number } {
    const fractions: number[] = [];
    for (const r of this.resources) {
      const { requested, allocatable } = requestedAndAllocatable(pod, nodeInfo, r.name, true);
      if (allocatable === 0) continue;
      fractions.push(Math.min(1, requested / allocatable));
    }
    let std = 0;
    if (fractions.length === 2) std = Math.abs(fractions[0]! - fractions[1]!) / 2;
    else if (fractions.length > 2) {
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
    }
    return { score: Math.trunc((1 - std) * MAX_NODE_SCORE) };
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', action: ActionType.Delete } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeAllocatable } },
    ];
  }
}
