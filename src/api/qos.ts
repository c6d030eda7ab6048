// A pod's QoS class (status.qosClass), computed from its containers' cpu and
// memory requests and limits by upstream's rules.
import { compareQuantities, isZero, parseQuantity, type Quantity } from './quantity.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

interface ResourceReqs {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function nonZero(list: Record<string, string> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const r of QOS_RESOURCES) {
    const v = list?.[r];
    if (v === undefined) continue;
    try {
      const q = parseQuantity(String(v));
      if (!isZero(q)) out.set(r, q);
    } catch {
      // Invalid quantities never pass validation; ignore them here.
    }
  }
  return out;
}

/** Guaranteed: every container limits cpu and memory with requests equal; BestEffort: nothing set anywhere. */
export function podQosClass(spec: { containers?: unknown[]; initContainers?: unknown[] } | undefined): QosClass {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])] as { resources?: ResourceReqs }[];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = nonZero(c.resources?.requests);
    const limits = nonZero(c.resources?.limits);
    if (requests.size > 0 || limits.size > 0) anySet = true;
    if (limits.size < QOS_RESOURCES.length) guaranteed = false;
    for (const [r, q] of requests) {
      const l = limits.get(r);
      if (!l || compareQuantities(q, l) !== 0) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
