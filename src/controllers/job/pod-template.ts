// A new pod for a Job: the template, the tracking finalizer, the owner
// reference and, in Indexed mode, the completion index and hostname.
import { deepCopyJSON } from '../../api/meta.js';
import type { Container, Pod } from '../../client/types.js';
import { ownerRefTo } from '../refmanager/claim.js';
import { COMPLETION_INDEX_KEY, CONTROLLER_UID_LABEL, JOB_NAME_LABEL, JOB_TRACKING_FINALIZER, type BatchJob } from './types.js';

const INDEX_ENV = 'JOB_COMPLETION_INDEX';

function addIndexEnv(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    const env = (c.env as { name: string }[] | undefined) ?? [];
    if (env.some((e) => e.name === INDEX_ENV)) continue;
    c.env = [...env, { name: INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } } }];
  }
}

export function newJobPod(job: BatchJob, index?: number): Pod {
  const t = deepCopyJSON(job.spec.template);
  const name = job.metadata.name ?? '';
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  labels[JOB_NAME_LABEL] ??= name;
  labels['job-name'] ??= name;
  labels[CONTROLLER_UID_LABEL] ??= job.metadata.uid ?? '';
  labels['controller-uid'] ??= job.metadata.uid ?? '';
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  const spec = t.spec ?? { containers: [] };
  if (index !== undefined) {
    labels[COMPLETION_INDEX_KEY] = String(index);
    annotations[COMPLETION_INDEX_KEY] = String(index);
    spec.hostname = `${name}-${index}`;
    addIndexEnv(spec.initContainers);
    addIndexEnv(spec.containers);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index !== undefined ? `${name}-${index}-` : `${name}-`,
      namespace: job.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers: [JOB_TRACKING_FINALIZER],
      ownerReferences: [ownerRefTo(job, 'batch/v1', 'Job')],
    },
    spec,
  };
}
