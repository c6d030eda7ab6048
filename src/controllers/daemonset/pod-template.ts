// A daemon pod for one node: the template plus the revision hash label, the
// default tolerations, and a required affinity to that node by name (the
// scheduler then binds it, as upstream).
import { deepCopyJSON } from '../../api/meta.js';
import type { Pod, PodSpec } from '../../client/types.js';
import { REVISION_HASH_LABEL } from '../workloads-shared/controller-revision.js';
import { ownerRefTo } from '../refmanager/claim.js';
import { addTolerations, defaultDaemonTolerations } from './tolerations.js';
import type { DaemonSet, NodeSelectorTerm, Toleration } from './types.js';

/** The template's tolerations plus the daemon defaults. */
export function daemonTolerations(spec: PodSpec | undefined): Toleration[] {
  return addTolerations(spec?.tolerations as Toleration[] | undefined, defaultDaemonTolerations(spec?.hostNetwork === true));
}

/** The node a daemon pod is for: spec.nodeName, else its matchFields metadata.name affinity. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec?.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const t = deepCopyJSON(ds.spec.template);
  const spec: PodSpec = t.spec ?? { containers: [] };
  spec.tolerations = daemonTolerations(spec);
  const affinity = { ...((spec.affinity as Record<string, unknown> | undefined) ?? {}) };
  const nodeAffinity = { ...((affinity.nodeAffinity as Record<string, unknown> | undefined) ?? {}) };
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  affinity.nodeAffinity = nodeAffinity;
  spec.affinity = affinity;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(t.metadata ?? {}),
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRefTo(ds, 'apps/v1', 'DaemonSet')],
    },
    spec,
  };
}
