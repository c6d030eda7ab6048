// A StatefulSet pod's stable identity: name, ordinal, labels, hostname and
// the claims mounted from volumeClaimTemplates.
import { deepCopyJSON } from '../../api/meta.js';
import type { Pod } from '../../client/types.js';
import { ownerRefTo } from '../refmanager/claim.js';
import { REVISION_HASH_LABEL } from '../workloads-shared/controller-revision.js';
import type { PersistentVolumeClaim, StatefulSet } from './types.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name}-${ordinal}`;
export const claimName = (template: string, set: StatefulSet, ordinal: number): string => `${template}-${set.metadata.name}-${ordinal}`;
export const startOrdinal = (set: StatefulSet): number => set.spec.ordinals?.start ?? 0;

/** The ordinal in `<set>-<n>`, or -1 when the name is not one of the set's. */
export function ordinalOf(setName: string, podName: string): number {
  if (!podName.startsWith(`${setName}-`)) return -1;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

export const podRevision = (pod: Pod): string | undefined => pod.metadata.labels?.[REVISION_HASH_LABEL];

/** The claims a pod of `ordinal` needs, one per template, labelled with the set's matchLabels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec.volumeClaimTemplates ?? []).map((t) => {
    const claim = deepCopyJSON(t);
    const name = claimName(t.metadata.name ?? '', set, ordinal);
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata.labels ?? {}), ...(set.spec.selector.matchLabels ?? {}) },
      ...(t.metadata.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
    };
    delete (claim as { status?: unknown }).status;
    return claim;
  });
}

/** A new pod for `ordinal` from `template` (the template of the revision it belongs to). */
export function newStatefulPod(set: StatefulSet, template: StatefulSet['spec']['template'], ordinal: number, revisionHash: string): Pod {
  const t = deepCopyJSON(template);
  const name = podName(set, ordinal);
  const spec = t.spec ?? { containers: [] };
  const volumes = ((spec.volumes as { name: string }[] | undefined) ?? []).filter((v) => !(set.spec.volumeClaimTemplates ?? []).some((c) => c.metadata.name === v.name));
  for (const c of set.spec.volumeClaimTemplates ?? []) volumes.push({ name: c.metadata.name ?? '', persistentVolumeClaim: { claimName: claimName(c.metadata.name ?? '', set, ordinal) } } as { name: string });
  if (volumes.length > 0) spec.volumes = volumes;
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(t.metadata ?? {}),
      name,
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revisionHash },
      ownerReferences: [ownerRefTo(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
}
