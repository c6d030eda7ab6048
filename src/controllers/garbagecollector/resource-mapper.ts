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
    // The same kind in another served version of the group is the same object.
    const sibling = Object.values(RESOURCES).find((r) => r.group === group && r.kind === kind);
    if (sibling) return sibling;
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let list: { resources?: APIResource[] };
    try {
      list = await this.api.request<{ resources?: APIResource[] }>({ method: 'GET', path });
    } catch (err) {
      // A version nobody serves is not proof that an owner is gone.
      throw new UnknownKindError(`cannot discover ${apiVersion}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      this.byGVK.set(`${apiVersion}|${r.kind}`, Object.freeze({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced }));
    }
    const found = this.byGVK.get(key);
    if (!found) throw new UnknownKindError(`no resource for kind ${kind} in ${apiVersion}`);
    return found;
  }
}
