// Pure quota accounting: what a namespace uses of each resource a
// ResourceQuota names (object counts and pod compute requests/limits).
import type { KubeObject } from '../../api/meta.js';
import { add, formatQuantity, parseQuantity, quantityFromInt, type Quantity } from '../../api/quantity.js';
import { RESOURCES, type ResourceDescriptor } from '../../client/resources.js';
import type { Pod } from '../../client/types.js';

/** Short quota names for core object counts, as upstream accepts them. */
const CORE_COUNTS: Record<string, ResourceDescriptor> = {
  pods: RESOURCES.pods,
  services: RESOURCES.services,
  configmaps: RESOURCES.configmaps,
  secrets: RESOURCES.secrets,
  persistentvolumeclaims: RESOURCES.persistentvolumeclaims,
  replicationcontrollers: RESOURCES.replicationcontrollers,
  resourcequotas: RESOURCES.resourcequotas,
};

export type QuotaMeasure =
  /** `live`: only pods that still run count ("pods"; "count/pods" counts every pod). */
  | { kind: 'count'; resource: ResourceDescriptor; live?: boolean }
  | { kind: 'pod-compute'; field: 'requests' | 'limits'; name: string }
  | { kind: 'pvc-storage' }
  | { kind: 'service-type'; what: 'loadbalancers' | 'nodeports' };

/** How a quota resource name is measured; undefined when we do not track it. */
export function measureFor(quotaName: string): QuotaMeasure | undefined {
  if (quotaName === 'pods') return { kind: 'count', resource: RESOURCES.pods, live: true };
  if (CORE_COUNTS[quotaName]) return { kind: 'count', resource: CORE_COUNTS[quotaName] };
  if (quotaName === 'services.loadbalancers') return { kind: 'service-type', what: 'loadbalancers' };
  if (quotaName === 'services.nodeports') return { kind: 'service-type', what: 'nodeports' };
  if (quotaName === 'requests.storage') return { kind: 'pvc-storage' };
  if (quotaName.startsWith('count/')) {
    const rest = quotaName.slice('count/'.length);
    const dot = rest.indexOf('.');
    const plural = dot < 0 ? rest : rest.slice(0, dot);
    const group = dot < 0 ? '' : rest.slice(dot + 1);
    const resource = Object.values(RESOURCES).find((r) => r.resource === plural && r.group === group && r.namespaced);
    return resource ? { kind: 'count', resource } : undefined;
  }
  if (['cpu', 'memory', 'ephemeral-storage'].includes(quotaName)) return { kind: 'pod-compute', field: 'requests', name: quotaName };
  const m = /^(requests|limits)\.(.+)$/.exec(quotaName);
  if (m) return { kind: 'pod-compute', field: m[1] as 'requests' | 'limits', name: m[2]! };
  return undefined;
}

/**
 * Pods that no longer run are not charged: terminal ones, and ones stuck
 * terminating past their grace period (a lost node must not block a scale-up).
 */
export function isTerminalPod(p: Pod, now = Date.now()): boolean {
  if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return true;
  const del = p.metadata.deletionTimestamp ? Date.parse(p.metadata.deletionTimestamp) : NaN;
  return Number.isFinite(del) && now > del + (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
}

interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

type ContainerLike = { resources?: ResourceRequirements };

const ZERO = quantityFromInt(0);
const q = (s: string | undefined): Quantity => {
  if (s === undefined) return ZERO;
  try {
    return parseQuantity(s);
  } catch {
    return ZERO;
  }
};
const max = (a: Quantity, b: Quantity) => (b.nanos > a.nanos ? b : a);

/** A pod's effective request (or limit) of one resource: the larger of the containers' sum and any init container, plus overhead. */
export function podResource(pod: Pod, field: 'requests' | 'limits', name: string): Quantity {
  const spec = pod.spec as { containers?: ContainerLike[]; initContainers?: ContainerLike[]; overhead?: Record<string, string> } | undefined;
  let sum = ZERO;
  for (const c of spec?.containers ?? []) sum = add(sum, q(c.resources?.[field]?.[name]));
  for (const c of spec?.initContainers ?? []) sum = max(sum, q(c.resources?.[field]?.[name]));
  return spec?.overhead?.[name] ? add(sum, q(spec.overhead[name])) : sum;
}

export const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort'] as const;

function isBestEffort(pod: Pod): boolean {
  const spec = pod.spec as { containers?: ContainerLike[]; initContainers?: ContainerLike[] } | undefined;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].every(
    (c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0,
  );
}

/** Whether a pod falls within all of a quota's scopes. */
export function podMatchesScopes(pod: Pod, scopes: readonly string[]): boolean {
  const terminating = (pod.spec as { activeDeadlineSeconds?: number } | undefined)?.activeDeadlineSeconds !== undefined;
  return scopes.every((s) => {
    switch (s) {
      case 'Terminating':
        return terminating;
      case 'NotTerminating':
        return !terminating;
      case 'BestEffort':
        return isBestEffort(pod);
      case 'NotBestEffort':
        return !isBestEffort(pod);
      default:
        return true;
    }
  });
}

export interface NamespaceObjects {
  /** The namespace's objects of a resource (pods, services, PVCs and counted kinds). */
  list(r: ResourceDescriptor): readonly KubeObject[];
}

/** status.used for every hard entry we can measure. Scoped quotas only count pods. */
export function computeUsed(hard: Record<string, string>, scopes: readonly string[], objects: NamespaceObjects, now = Date.now()): Record<string, string> {
  const used: Record<string, string> = {};
  const pods = () => (objects.list(RESOURCES.pods) as Pod[]).filter((p) => podMatchesScopes(p, scopes));
  const livePods = () => pods().filter((p) => !isTerminalPod(p, now));
  for (const name of Object.keys(hard)) {
    const m = measureFor(name);
    if (!m) continue;
    const isPodMeasure = m.kind === 'pod-compute' || (m.kind === 'count' && m.resource === RESOURCES.pods);
    if (scopes.length > 0 && !isPodMeasure) continue;
    let total = ZERO;
    switch (m.kind) {
      case 'count':
        total = quantityFromInt(m.live ? livePods().length : m.resource === RESOURCES.pods ? pods().length : objects.list(m.resource).length);
        break;
      case 'pod-compute':
        for (const p of livePods()) total = add(total, podResource(p, m.field, m.name));
        break;
      case 'pvc-storage':
        for (const pvc of objects.list(RESOURCES.persistentvolumeclaims)) {
          total = add(total, q((pvc.spec as { resources?: ResourceRequirements } | undefined)?.resources?.requests?.storage));
        }
        break;
      case 'service-type': {
        let n = 0;
        for (const svc of objects.list(RESOURCES.services)) {
          const spec = svc.spec as { type?: string; ports?: { nodePort?: number }[] } | undefined;
          if (m.what === 'loadbalancers') n += spec?.type === 'LoadBalancer' ? 1 : 0;
          else if (spec?.type === 'NodePort' || spec?.type === 'LoadBalancer') n += (spec.ports ?? []).filter((p) => p.nodePort).length;
        }
        total = quantityFromInt(n);
        break;
      }
    }
    used[name] = formatQuantity(total);
  }
  return used;
}

/** The resources a quota needs watched to compute its usage. */
export function resourcesFor(hard: Record<string, string>): ResourceDescriptor[] {
  const out = new Set<ResourceDescriptor>();
  for (const name of Object.keys(hard)) {
    const m = measureFor(name);
    if (!m) continue;
    if (m.kind === 'count') out.add(m.resource);
    else if (m.kind === 'pod-compute') out.add(RESOURCES.pods);
    else if (m.kind === 'pvc-storage') out.add(RESOURCES.persistentvolumeclaims);
    else out.add(RESOURCES.services);
  }
  return [...out];
}
