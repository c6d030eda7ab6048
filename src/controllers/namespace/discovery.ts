// Every namespaced resource that can be deleted, from legacy discovery
// (`/api/v1`, `/apis`, then each group's preferred version).
import type { ResourceDescriptor } from '../../client/resources.js';
import type { ApiClient } from '../../client/transport.js';

export interface DiscoveredResource extends ResourceDescriptor {
  verbs: string[];
}

interface APIResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface APIGroupList {
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

/** The deletable namespaced resources of one APIResourceList (subresources left out). */
export function deletableNamespaced(group: string, version: string, list: APIResourceList): DiscoveredResource[] {
  return (list.resources ?? [])
    .filter((r) => r.namespaced && !r.name.includes('/') && (r.verbs ?? []).includes('delete'))
    .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: true, verbs: r.verbs ?? [] }));
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** group/version → error, for the groups whose discovery failed. */
  failures: Map<string, string>;
}

export async function discoverNamespacedResources(api: ApiClient): Promise<DiscoveryResult> {
  const failures = new Map<string, string>();
  const resources: DiscoveredResource[] = [];
  const core = await api.request<APIResourceList>({ method: 'GET', path: '/api/v1' });
  resources.push(...deletableNamespaced('', 'v1', core));
  const groups = await api.request<APIGroupList>({ method: 'GET', path: '/apis' });
  await Promise.all(
    (groups.groups ?? []).map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (!version) return;
      try {
        resources.push(...deletableNamespaced(g.name, version, await api.request<APIResourceList>({ method: 'GET', path: `/apis/${g.name}/${version}` })));
      } catch (err) {
        failures.set(`${g.name}/${version}`, err instanceof Error ? err.message : String(err));
      }
    }),
  );
  return { resources, failures };
}
