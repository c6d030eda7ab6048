// What the resource scorers share: the configured resources with weights and
// the requested/allocatable pair for one resource on one node.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import { ConfigError } from '../framework/config.js';
import { CPU, MEMORY } from '../resources.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

export function resourceSpecs(v: unknown): ResourceSpec[] {
  if (v === undefined || v === null) return [...DEFAULT_RESOURCES];
  if (!Array.isArray(v)) throw new ConfigError('resources: must be a list');
  return v.map((r, i) => {
    const o = r as { name?: unknown; weight?: unknown };
    if (typeof o?.name !== 'string') throw new ConfigError(`resources[${i}].name: Required value`);
    const w = o.weight ?? 1;
    if (typeof w !== 'number' || w < 1 || w > 100) throw new ConfigError(`resources[${i}].weight: Invalid value: ${JSON.stringify(w)}: resource weight of ${o.name} should be in range [1, 100]`);
    return { name: o.name, weight: w };
  });
}

/**
 * Node requested (with the pod added) and allocatable for one resource.
 * cpu/memory use the non-zero defaults unless `useRequested`.
 */
export function requestedAndAllocatable(pod: PodInfo, nodeInfo: NodeInfo, name: string, useRequested: boolean): { requested: number; allocatable: number } {
  const allocatable = nodeInfo.allocatable.get(name);
  const nonZero = !useRequested && (name === CPU || name === MEMORY);
  const requested = nonZero
    ? nodeInfo.nonZeroRequested.get(name) + pod.nonZeroRequests.get(name)
    : nodeInfo.requested.get(name) + pod.requests.get(name);
  return { requested, allocatable };
}
