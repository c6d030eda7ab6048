// DefaultStorageClass admission: a new PersistentVolumeClaim that names no
// storage class (the field absent, not "") gets the class marked default;
// with several defaults, the newest wins (as upstream since 1.26).
import type { KubeObject } from '../../api/meta.js';
import { resourcePrefix } from '../registry/storage-codec.js';
import type { AdmissionHook, ApiCore } from '../rest/context.js';

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

export function isDefaultClass(sc: KubeObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** The default class among `classes`: the newest, then by name. */
export function pickDefaultClass(classes: KubeObject[]): KubeObject | undefined {
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

export function defaultStorageClassAdmission(core: ApiCore): AdmissionHook {
  return async (op, r, obj) => {
    if (op !== 'CREATE' || r.group !== '' || r.resource !== 'persistentvolumeclaims') return;
    const spec = obj.spec as { storageClassName?: string | null } | undefined;
    if (!spec || (spec.storageClassName !== undefined && spec.storageClassName !== null)) return;
    if (obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
    const info = core.registry.resolve('storage.k8s.io', 'v1', 'storageclasses')!.info;
    const cache = core.cacheFor(info);
    await cache.whenReady();
    const classes = cache.list(resourcePrefix(info, ''), () => true).items.map((i) => i.object);
    const def = pickDefaultClass(classes);
    if (def) spec.storageClassName = def.metadata.name!;
  };
}
