// ResourceQuota admission: a create that would take a namespace past one of
// its quotas is refused (403), and an admitted one is charged to the quota's
// status.used at once, so a burst of creates cannot overshoot before the
// quota controller recounts.
import { chargeFor, exceededMessage, missingMessage, QUOTA_RESOURCE, type QuotaObject } from '../../controllers/resourcequota/charge.js';
import { isStorageError } from '../../storage/errors.js';
import { decodeObject, encodeObject, objectKey, resourcePrefix } from '../registry/storage-codec.js';
import type { AdmissionHook, ApiCore } from '../rest/context.js';
import { forbidden } from '../status.js';

/** Thrown inside the store update when the quota needs no change. */
class Unchanged extends Error {}

export function resourceQuotaAdmission(core: ApiCore): AdmissionHook {
  return async (op, r, obj) => {
    if (op !== 'CREATE' || !r.namespaced || (r.group === '' && r.resource === 'resourcequotas')) return;
    const ns = obj.metadata.namespace;
    if (!ns) return;
    // Which quotas exist comes from the watch cache (as upstream's quota lister); each is then charged in the store.
    const cache = core.cacheFor(core.registry.resolve('', 'v1', 'resourcequotas')!.info);
    await cache.whenReady();
    for (const { object } of cache.list(resourcePrefix(QUOTA_RESOURCE, ns), () => true).items) {
      const name = object.metadata.name!;
      try {
        await core.store.guaranteedUpdate(objectKey(QUOTA_RESOURCE, ns, name), (current) => {
          if (!current) throw new Unchanged();
          const quota = decodeObject(current) as QuotaObject;
          const c = chargeFor(quota, r, obj);
          if (!c) throw new Unchanged();
          const what = `${r.resource}${r.group ? `.${r.group}` : ''} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: `;
          if (c.missing.length) throw forbidden(what + missingMessage(name, c), { name: obj.metadata.name, kind: r.resource });
          if (c.exceeded.length) throw forbidden(what + exceededMessage(name, c, quota), { name: obj.metadata.name, kind: r.resource });
          return encodeObject({ ...quota, status: { ...quota.status, hard: quota.status?.hard ?? quota.spec?.hard, used: c.used } });
        });
      } catch (err) {
        if (err instanceof Unchanged || isStorageError(err, 'NotFound')) continue;
        throw err;
      }
    }
  };
}
