// ServiceAccount admission for pods: a pod without serviceAccountName runs as
// `default`, and unless token automounting is off (on the pod, else on the
// account) it gets the projected `kube-api-access-<rand>` volume (a bound
// token, the cluster CA from ConfigMap kube-root-ca.crt, and its namespace)
// mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in
// every container.
import { generateName, type KubeObject } from '../../api/meta.js';
import { objectKey } from '../registry/storage-codec.js';
import type { AdmissionHook, ApiCore } from '../rest/context.js';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
/** Upstream's token lifetime for these volumes: an hour plus seven seconds, so the kubelet refreshes before the hour. */
export const API_ACCESS_TOKEN_EXPIRATION_SECONDS = 3607;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

interface MountLike { name: string; mountPath: string; readOnly?: boolean }
interface ContainerLike { name?: string; volumeMounts?: MountLike[] }
interface PodSpecLike {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name: string; projected?: { sources?: { serviceAccountToken?: unknown }[] } }[];
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  ephemeralContainers?: ContainerLike[];
}

export function apiAccessVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: API_ACCESS_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Adds the token volume and mounts to a pod spec (the pure part, unit-tested). */
export function addApiAccessVolume(spec: PodSpecLike, random?: (n: number) => number): void {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  // A pod that already mounts something at the path keeps it, as upstream.
  const needing = containers.filter((c) => !(c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH));
  if (needing.length === 0) return;
  const existing = new Set((spec.volumes ?? []).map((v) => v.name));
  let name = generateName(API_ACCESS_VOLUME_PREFIX, random);
  while (existing.has(name)) name = generateName(API_ACCESS_VOLUME_PREFIX, random);
  spec.volumes = [...(spec.volumes ?? []), apiAccessVolume(name) as { name: string }];
  for (const c of needing) c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
}

export function serviceAccountAdmission(core: ApiCore): AdmissionHook {
  return async (op, r, obj) => {
    if (op !== 'CREATE' || r.group !== '' || r.resource !== 'pods') return;
    if (obj.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    const spec = obj.spec as PodSpecLike | undefined;
    if (!spec) return;
    spec.serviceAccountName ||= spec.serviceAccount || 'default';
    let automount = spec.automountServiceAccountToken;
    if (automount === undefined) {
      const sa = await getServiceAccount(core, obj.metadata.namespace ?? '', spec.serviceAccountName);
      automount = (sa as { automountServiceAccountToken?: boolean } | null)?.automountServiceAccountToken;
    }
    if (automount === false) return;
    addApiAccessVolume(spec);
  };
}

/** From the watch cache (as upstream's lister): cheap on the pod-create path. */
async function getServiceAccount(core: ApiCore, ns: string, name: string): Promise<KubeObject | null> {
  const info = core.registry.resolve('', 'v1', 'serviceaccounts')!.info;
  const cache = core.cacheFor(info);
  await cache.whenReady();
  return cache.get(objectKey(info, ns, name)) ?? null;
}
