// Discovery: aggregated (apidiscovery.k8s.io v2 and v2beta1) and legacy documents.
import type { Registry } from './registry/registry.js';
import { gv, type ResourceInfo } from './registry/resource-info.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated version the Accept header asks for first, if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const entry of (accept ?? '').split(',')) {
    if (!entry.includes('as=APIGroupDiscoveryList') || !entry.includes('g=apidiscovery.k8s.io')) {
      if (entry.trim().startsWith('application/json') || entry.trim() === '*/*') return undefined;
      continue;
    }
    if (/v=v2beta1/.test(entry)) return 'v2beta1';
    if (/v=v2(;|$|\s)/.test(entry)) return 'v2';
  }
  return undefined;
}

const scope = (r: ResourceInfo) => (r.namespaced ? 'Namespaced' : 'Cluster');

function aggregatedResource(r: ResourceInfo, version: string) {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version, kind: r.kind },
    scope: scope(r),
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

function aggregatedGroup(registry: Registry, group: string, versions: string[]) {
  const item: Record<string, unknown> = {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((v) => ({ version: v, resources: registry.inVersion(group, v).map((r) => aggregatedResource(r, v)), freshness: 'Current' })),
  };
  return item;
}

export function aggregatedDiscovery(registry: Registry, legacy: boolean, version: 'v2' | 'v2beta1') {
  const groups = registry.groups().filter((g) => (legacy ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => aggregatedGroup(registry, g.group, g.versions)),
  };
}

export function legacyApiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
}

function apiGroup(group: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function legacyGroupList(registry: Registry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().filter((g) => g.group !== '').map((g) => apiGroup(g.group, g.versions)),
  };
}

export function legacyGroup(registry: Registry, group: string) {
  const g = registry.groups().find((x) => x.group === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.versions) } : undefined;
}

export function resourceList(registry: Registry, group: string, version: string) {
  const rs = registry.inVersion(group, version);
  if (!rs.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    const base: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) base.shortNames = r.shortNames;
    if (r.categories.length) base.categories = r.categories;
    resources.push(base);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group) sub.group = s.group;
      if (s.version) sub.version = s.version;
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv({ group, version }), resources };
}
