// Pure planning of EndpointSlice writes, with little churn: endpoints stay in
// the slice that already holds them, new ones fill free room first, slices
// that empty out are deleted, and new slices are created only for overflow.
// A service with no endpoints keeps one empty placeholder slice, as upstream.
import { deepEqualJSON } from '../../api/meta.js';
import type { EndpointSlice } from '../../client/types.js';
import { endpointKey, portsKey, type EndpointGroup, type SliceEndpoint, type SlicePort } from './slice-endpoints.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceContent {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface SlicePlan {
  create: SliceContent[];
  /** Existing slices with their new content (labels are refreshed by the caller). */
  update: { slice: EndpointSlice; content: SliceContent }[];
  delete: EndpointSlice[];
}

/**
 * `labelsOk(slice)` tells whether a slice's labels are already as wanted; a
 * slice whose labels are stale is updated even when its endpoints are not.
 */
export function planSlices(
  existing: readonly EndpointSlice[],
  desired: ReadonlyMap<string, EndpointGroup>,
  labelsOk: (s: EndpointSlice) => boolean,
  max = MAX_ENDPOINTS_PER_SLICE,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byPorts = new Map<string, EndpointSlice[]>();
  for (const s of [...existing].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const k = portsKey(s.ports);
    if (!desired.has(k)) {
      plan.delete.push(s);
      continue;
    }
    byPorts.set(k, [...(byPorts.get(k) ?? []), s]);
  }
  for (const [k, group] of desired) {
    const want = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
    const placed = new Set<string>();
    const kept: { slice: EndpointSlice; endpoints: SliceEndpoint[]; changed: boolean }[] = [];
    for (const slice of byPorts.get(k) ?? []) {
      const endpoints: SliceEndpoint[] = [];
      let changed = !labelsOk(slice);
      for (const old of slice.endpoints ?? []) {
        const key = endpointKey(old as SliceEndpoint);
        const next = want.get(key);
        if (!next || placed.has(key) || endpoints.length >= max) {
          changed = true;
          continue;
        }
        placed.add(key);
        if (!deepEqualJSON(old, next)) changed = true;
        endpoints.push(next);
      }
      kept.push({ slice, endpoints, changed });
    }
    const pending = group.endpoints.filter((e) => !placed.has(endpointKey(e)));
    // Fill slices already being rewritten first (no extra write), then the fullest others.
    const order = [...kept].sort((a, b) => Number(b.changed) - Number(a.changed) || b.endpoints.length - a.endpoints.length);
    for (const k2 of order) {
      while (pending.length > 0 && k2.endpoints.length < max) {
        k2.endpoints.push(pending.shift()!);
        k2.changed = true;
      }
    }
    for (let i = 0; i < pending.length; i += max) plan.create.push({ ports: group.ports, endpoints: pending.slice(i, i + max) });
    for (const k2 of kept) {
      if (k2.endpoints.length === 0) plan.delete.push(k2.slice);
      else if (k2.changed) plan.update.push({ slice: k2.slice, content: { ports: group.ports, endpoints: k2.endpoints } });
    }
  }
  if (desired.size === 0) placeholder(existing, plan, labelsOk);
  return plan;
}

/** No endpoints at all: keep (or make) exactly one slice with no endpoints and no ports. */
function placeholder(existing: readonly EndpointSlice[], plan: SlicePlan, labelsOk: (s: EndpointSlice) => boolean): void {
  const keep = plan.delete.find((s) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0) ?? plan.delete[0];
  if (!keep) {
    if (existing.length === 0) plan.create.push({ ports: [], endpoints: [] });
    return;
  }
  plan.delete = plan.delete.filter((s) => s !== keep);
  if ((keep.endpoints ?? []).length > 0 || (keep.ports ?? []).length > 0 || !labelsOk(keep)) plan.update.push({ slice: keep, content: { ports: [], endpoints: [] } });
}
