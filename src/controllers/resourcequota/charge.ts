// What creating one object charges against a ResourceQuota, and whether the
// quota allows it: the pure part of quota admission.
import type { KubeObject } from '../../api/meta.js';
import { add, compareQuantities, formatQuantity, parseQuantity, quantityFromInt, type Quantity } from '../../api/quantity.js';
import { RESOURCES } from '../../client/resources.js';
import type { Pod } from '../../client/types.js';
import { isTerminalPod, measureFor, podMatchesScopes, podResource } from './usage.js';

export interface QuotaObject extends KubeObject {
  spec?: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export interface QuotaCharge {
  /** Resource name → amount this object adds (only non-zero ones). */
  charge: Record<string, Quantity>;
  /** Compute resources the quota limits that some container leaves unspecified, with those containers. */
  missing: { resource: string; containers: string[] }[];
  /** Resource names whose used + charge would pass hard. */
  exceeded: string[];
  /** status.used with the charge added (only meaningful when nothing is exceeded). */
  used: Record<string, string>;
}

const parse = (s: string | undefined): Quantity => {
  try {
    return parseQuantity(s ?? '0');
  } catch {
    return quantityFromInt(0);
  }
};

/** Undefined when the quota does not concern this object. */
export function chargeFor(quota: QuotaObject, r: { group: string; resource: string }, obj: KubeObject): QuotaCharge | undefined {
  const hard = quota.spec?.hard ?? {};
  const scopes = quota.spec?.scopes ?? [];
  const isPod = r.group === '' && r.resource === 'pods';
  if (scopes.length > 0 && (!isPod || !podMatchesScopes(obj as Pod, scopes))) return undefined;
  const live = !isPod || !isTerminalPod(obj as Pod);
  const charge: Record<string, Quantity> = {};
  const missing = isPod ? missingCompute(obj as Pod, Object.keys(hard)) : [];
  for (const name of Object.keys(hard)) {
    const m = measureFor(name);
    if (!m) continue;
    let q: Quantity | undefined;
    if (m.kind === 'count' && m.resource.group === r.group && m.resource.resource === r.resource) q = quantityFromInt(!m.live || live ? 1 : 0);
    else if (m.kind === 'pod-compute' && isPod && live) q = podResource(obj as Pod, m.field, m.name);
    else if (m.kind === 'pvc-storage' && r.group === '' && r.resource === 'persistentvolumeclaims') {
      q = parse((obj.spec as { resources?: { requests?: Record<string, string> } } | undefined)?.resources?.requests?.storage);
    } else if (m.kind === 'service-type' && r.group === '' && r.resource === 'services') {
      const spec = obj.spec as { type?: string; ports?: unknown[] } | undefined;
      const lb = spec?.type === 'LoadBalancer';
      q = quantityFromInt(m.what === 'loadbalancers' ? Number(lb) : lb || spec?.type === 'NodePort' ? (spec?.ports ?? []).length : 0);
    }
    if (q && q.nanos !== 0n) charge[name] = q;
  }
  if (Object.keys(charge).length === 0 && missing.length === 0) return undefined;
  const used: Record<string, string> = { ...quota.status?.used };
  const exceeded: string[] = [];
  for (const [name, q] of Object.entries(charge)) {
    const next = add(parse(used[name]), q);
    if (compareQuantities(next, parse(hard[name])) > 0) exceeded.push(name);
    used[name] = formatQuantity(next);
  }
  return { charge, missing, exceeded: exceeded.sort(), used };
}

/** Quota names that oblige every container to state a request or limit (a historical rule upstream keeps). */
const MUST_SPECIFY: Record<string, { field: 'requests' | 'limits'; name: string }> = {
  cpu: { field: 'requests', name: 'cpu' },
  memory: { field: 'requests', name: 'memory' },
  'requests.cpu': { field: 'requests', name: 'cpu' },
  'requests.memory': { field: 'requests', name: 'memory' },
  'limits.cpu': { field: 'limits', name: 'cpu' },
  'limits.memory': { field: 'limits', name: 'memory' },
};

type ContainerResources = { name: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };

export function missingCompute(pod: Pod, hardNames: readonly string[]): { resource: string; containers: string[] }[] {
  const spec = pod.spec as { containers?: ContainerResources[]; initContainers?: ContainerResources[] } | undefined;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  const out: { resource: string; containers: string[] }[] = [];
  for (const resource of [...hardNames].filter((n) => MUST_SPECIFY[n]).sort()) {
    const { field, name } = MUST_SPECIFY[resource]!;
    const lacking = containers.filter((c) => c.resources?.[field]?.[name] === undefined).map((c) => c.name);
    if (lacking.length) out.push({ resource, containers: [...new Set(lacking)].sort() });
  }
  return out;
}

const list = (names: string[], values: (n: string) => string) => names.map((n) => `${n}=${values(n)}`).join(',');

/** Upstream's wording for a refused create. */
export function exceededMessage(quotaName: string, c: QuotaCharge, quota: QuotaObject): string {
  const names = c.exceeded;
  return `exceeded quota: ${quotaName}, requested: ${list(names, (n) => formatQuantity(c.charge[n]!))}, used: ${list(names, (n) => quota.status?.used?.[n] ?? '0')}, limited: ${list(names, (n) => quota.spec?.hard?.[n] ?? '0')}`;
}

export function missingMessage(quotaName: string, c: QuotaCharge): string {
  return `failed quota: ${quotaName}: must specify ${c.missing.map((m) => `${m.resource} for: ${m.containers.join(',')}`).join('; ')}`;
}

export const QUOTA_RESOURCE = RESOURCES.resourcequotas;
