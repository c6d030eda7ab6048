// NamespaceLifecycle admission: no creates in a namespace that is missing or
// terminating, and the system namespaces can never be deleted.
import { isStorageError } from '../../storage/errors.js';
import { decodeObject, objectKey } from '../registry/storage-codec.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import type { AdmissionHook, ApiCore } from '../rest/context.js';
import { forbidden, notFound } from '../status.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const NAMESPACES: Pick<ResourceInfo, 'group' | 'resource' | 'namespaced'> = { group: '', resource: 'namespaces', namespaced: false };

export function namespaceLifecycle(core: ApiCore): AdmissionHook {
  return async (op, r, obj) => {
    if (r.group === '' && r.resource === 'namespaces') {
      if (op === 'DELETE' && SYSTEM_NAMESPACES.includes(obj.metadata.name ?? '')) {
        throw forbidden(`namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`, { name: obj.metadata.name, kind: 'namespaces' });
      }
      return;
    }
    if (!r.namespaced || op !== 'CREATE') return;
    const ns = obj.metadata.namespace ?? '';
    // From the watch cache, as upstream's namespace lister; a miss (a namespace created
    // a moment ago) is looked up in the store before the create is refused.
    const key = objectKey(NAMESPACES, '', ns);
    const cache = core.cacheFor(core.registry.resolve('', 'v1', 'namespaces')!.info);
    await cache.whenReady();
    let namespace = cache.get(key);
    if (!namespace) {
      try {
        namespace = decodeObject(await core.store.get(key));
      } catch (err) {
        if (isStorageError(err, 'NotFound')) throw notFound({ group: '', resource: 'namespaces' }, ns);
        throw err;
      }
    }
    // Events may still be written while a namespace terminates, as upstream allows.
    if (namespace.metadata.deletionTimestamp && r.resource !== 'events') {
      throw forbidden(`${r.resource}${r.group ? `.${r.group}` : ''} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
        name: obj.metadata.name,
        group: r.group || undefined,
        kind: r.resource,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  };
}
