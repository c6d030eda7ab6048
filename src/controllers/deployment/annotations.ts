// Revision and replica-count annotations on Deployments and their ReplicaSets.
import type { DeploymentObject, ReplicaSetObject } from './types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** Longest revision-history annotation kept, in characters. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const NOT_COPIED = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION]);

const parseIntStrict = (s: string | undefined): number | undefined => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);

/** The ReplicaSet's revision; 0 when missing or malformed. */
export const revisionOf = (rs: ReplicaSetObject): number => parseIntStrict(rs.metadata.annotations?.[REVISION_ANNOTATION]) ?? 0;

export const maxRevision = (rss: ReplicaSetObject[]): number => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

export const desiredReplicasAnnotation = (rs: ReplicaSetObject): number | undefined => parseIntStrict(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]);
export const maxReplicasAnnotation = (rs: ReplicaSetObject): number | undefined => parseIntStrict(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]);

/** The Deployment's own annotations (change-cause among them) onto its ReplicaSet; mutates `rs`. */
export function copyDeploymentAnnotations(d: DeploymentObject, rs: ReplicaSetObject): boolean {
  let changed = false;
  const target = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const a = (rs.metadata.annotations ??= {});
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  a[MAX_REPLICAS_ANNOTATION] = String(max);
  return true;
}

/**
 * Annotations of the new ReplicaSet: the Deployment's, the new revision (the
 * old one moves to revision-history) and, when it is being created, the
 * replica counts. Mutates `rs`; true when something changed.
 */
export function setNewReplicaSetAnnotations(d: DeploymentObject, rs: ReplicaSetObject, newRevision: number, exists: boolean, maxSurgeValue: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRevision = a[REVISION_ANNOTATION];
  const oldInt = oldRevision === undefined || oldRevision === '' ? 0 : parseIntStrict(oldRevision);
  if (oldInt === undefined) return false;
  if (oldInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
  }
  if (oldRevision && oldInt < newRevision) {
    const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
    if (history === '') a[REVISION_HISTORY_ANNOTATION] = oldRevision;
    else {
      let revisions = history.split(',');
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > MAX_REVISION_HISTORY_CHARS && start < revisions.length) total -= revisions[start++]!.length + 1;
      if (total <= MAX_REVISION_HISTORY_CHARS) {
        revisions = [...revisions.slice(start), oldRevision];
        a[REVISION_HISTORY_ANNOTATION] = revisions.join(',');
      }
    }
  }
  const desired = d.spec.replicas ?? 1;
  if (!exists && setReplicasAnnotations(rs, desired, desired + maxSurgeValue)) changed = true;
  return changed;
}
