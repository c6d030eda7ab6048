// apiVersion + kind → the resource to request, from our table of built-ins
// and, for anything else (custom resources), the discovery document of that
// group-version (cached; refreshed when a kind is not found).
import type { ApiClient } from '../../client/transport.js';
import { apiVersionOf, RESOURCES, type ResourceDescriptor } from '../../client/resources.js';

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class UnknownKindError extends Error {
  override name = 'UnknownKindError';
}

export class ResourceMapper {
  private readonly byGVK = new Map<string, ResourceDescriptor>();

  constructor(private readonly api: ApiClient) {
    for (const r of Object.values(RESOURCES)) this.byGVK.set(`${apiVersionOf(r)}|${r.kind}`, r);
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceDescriptor> {
    const key = `${apiVersion}|${kind}`;
    const known = this.byGVK.get(key);
    if (known) return known;
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const list = await this.api.request<{ resources?: APIResource[] }>({ method: 'GET', path });
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      this.byGVK.set(`${apiVersion}|${r.kind}`, Object.freeze({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced }));
    }
    const found = this.byGVK.get(key);
    if (!found) throw new UnknownKindError(`no resource for kind ${kind} in ${apiVersion}`);
    return found;
  }
}
