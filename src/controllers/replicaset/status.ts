// A ReplicaSet's status from the pods it owns, as upstream computes it.
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { Condition, Pod, ReplicaSet } from '../../client/types.js';
import { isPodAvailable, isPodReady } from './pod-status.js';
import { rfc3339 } from '../../api/time.js';

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export const REPLICA_FAILURE = 'ReplicaFailure';

export { rfc3339 };

/** Drops zero counts, as upstream's omitempty fields serialize. */
function compact(s: Required<Omit<ReplicaSetStatus, 'conditions'>> & { conditions: Condition[] }): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions.length) out.conditions = s.conditions;
  return out;
}

/**
 * `pods` are the active pods the ReplicaSet owns. `manageError` is the
 * error of this sync's creates/deletes (with `diff` < 0 for creates), which
 * sets the ReplicaFailure condition; a clean sync clears it.
 */
export function calculateReplicaSetStatus(rs: ReplicaSet, pods: Pod[], manageError: unknown, diff: number, nowMs: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const templateSelector = labelSelectorFromObject({ matchLabels: templateLabels });
  const minReady = Number(rs.spec?.minReadySeconds ?? 0);
  let conditions = [...((rs.status?.conditions as Condition[] | undefined) ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError !== undefined && !failure) {
    conditions.push({
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: rfc3339(nowMs),
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError instanceof Error ? manageError.message : String(manageError),
    });
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  // One pass: a large ReplicaSet's every sync counts all its pods.
  let fullyLabeledReplicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  for (const p of pods) {
    if (matchesLabels(templateSelector, p.metadata.labels)) fullyLabeledReplicas++;
    if (!isPodReady(p)) continue;
    readyReplicas++;
    if (minReady <= 0 || isPodAvailable(p, minReady, nowMs)) availableReplicas++;
  }
  return compact({
    replicas: pods.length,
    fullyLabeledReplicas,
    readyReplicas,
    availableReplicas,
    observedGeneration: rs.metadata.generation ?? 0,
    conditions,
  });
}

/** Whether the status as stored already says this (so the write can be skipped). */
export function replicaSetStatusEqual(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const n = (v: number | undefined) => v ?? 0;
  return (
    a !== undefined &&
    n(a.replicas) === b.replicas &&
    n(a.fullyLabeledReplicas) === n(b.fullyLabeledReplicas) &&
    n(a.readyReplicas) === n(b.readyReplicas) &&
    n(a.availableReplicas) === n(b.availableReplicas) &&
    n(a.observedGeneration) === n(b.observedGeneration) &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}
