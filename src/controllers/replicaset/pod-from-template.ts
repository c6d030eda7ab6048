// The pod a workload controller creates from its template.
import { deepCopyJSON, type OwnerReference } from '../../api/meta.js';
import type { Pod, PodTemplateSpec } from '../../client/types.js';

/** Labels, annotations, finalizers and spec from the template; named `<prefix>-xxxxx` by the server. */
export function podFromTemplate(template: PodTemplateSpec | undefined, namespace: string, namePrefix: string, ownerRef: OwnerReference): Pod {
  const t = deepCopyJSON(template ?? {});
  const metadata: Pod['metadata'] = { generateName: `${namePrefix}-`, namespace, ownerReferences: [ownerRef] };
  if (t.metadata?.labels) metadata.labels = t.metadata.labels;
  if (t.metadata?.annotations) metadata.annotations = t.metadata.annotations;
  if (t.metadata?.finalizers) metadata.finalizers = t.metadata.finalizers;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: t.spec ?? { containers: [] } };
}
