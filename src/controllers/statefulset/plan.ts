// The StatefulSet algorithm as a pure function: from the set, its pods and
// its two revisions, the ordered list of creates/deletes to make now, and
// the status to report. OrderedReady stops at the first action or wait;
// Parallel does every create and delete of the round at once.
import type { Pod } from '../../client/types.js';
import { isPodAvailable, isPodFinished, isRunningAndReady, isTerminating, availabilityWait } from '../workloads-shared/pod-state.js';
import { ordinalOf, podName, podRevision, POD_INDEX_LABEL, POD_NAME_LABEL, startOrdinal } from './identity.js';
import type { StatefulSet, StatefulSetStatus } from './types.js';

export interface RevisionRef {
  name: string;
}

export type StatefulAction =
  | { type: 'create'; ordinal: number; revision: 'current' | 'update' }
  | { type: 'delete'; pod: Pod; reason: 'failed' | 'condemned' | 'update' }
  /** The pod lacks its identity labels (e.g. adopted): relabel it and create any missing claims. */
  | { type: 'identity'; pod: Pod; ordinal: number };

export interface StatefulPlan {
  actions: StatefulAction[];
  status: StatefulSetStatus;
  /** Look again after this long (a pod is ready but not yet available). */
  requeueAfterMs?: number;
}

export interface PlanInput {
  set: StatefulSet;
  /** Pods the set controls. */
  pods: Pod[];
  current: RevisionRef;
  update: RevisionRef;
  nowMs: number;
}

const identityMatches = (set: StatefulSet, pod: Pod, ordinal: number) =>
  pod.metadata.labels?.[POD_NAME_LABEL] === podName(set, ordinal) && pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal);

const isHealthy = (p: Pod) => isRunningAndReady(p) && !isTerminating(p);

export function computeStatus(input: PlanInput): StatefulSetStatus {
  const { set, pods, current, update, nowMs } = input;
  const minReady = set.spec.minReadySeconds ?? 0;
  const s: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision: current.name,
    updateRevision: update.name,
    collisionCount: set.status?.collisionCount ?? 0,
  };
  for (const p of pods) {
    s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas!++;
      if (isPodAvailable(p, minReady, nowMs)) s.availableReplicas!++;
    }
    if (!isTerminating(p)) {
      const rev = podRevision(p);
      if (rev === current.name) s.currentReplicas!++;
      if (rev === update.name) s.updatedReplicas!++;
    }
  }
  // A finished rolling update: the update revision becomes the current one.
  if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && s.updatedReplicas === s.replicas && s.readyReplicas === s.replicas) {
    s.currentReplicas = s.updatedReplicas;
    s.currentRevision = s.updateRevision;
  }
  if (set.status?.conditions) s.conditions = set.status.conditions;
  return s;
}

/** Which revision a newly created pod of `ordinal` gets. */
export function revisionForNewPod(set: StatefulSet, ordinal: number): 'current' | 'update' {
  const strategy = set.spec.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 'update';
  const start = startOrdinal(set);
  if (!strategy?.rollingUpdate) return ordinal < start + (set.status?.currentReplicas ?? 0) ? 'current' : 'update';
  return ordinal < start + (strategy.rollingUpdate.partition ?? 0) ? 'current' : 'update';
}

export function planStatefulSet(input: PlanInput): StatefulPlan {
  const { set, pods, update, nowMs } = input;
  const status = computeStatus(input);
  const actions: StatefulAction[] = [];
  const plan: StatefulPlan = { actions, status };
  if (set.metadata.deletionTimestamp) return plan;

  const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const start = startOrdinal(set);
  const replicaCount = set.spec.replicas ?? 1;
  const end = start + replicaCount;
  const replicas = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const p of pods) {
    const o = ordinalOf(set.metadata.name ?? '', p.metadata.name ?? '');
    if (o >= start && o < end) replicas.set(o, p);
    else condemned.push(p);
  }
  // Highest ordinal first; names that are not ordinals go first of all.
  condemned.sort((a, b) => ordinalOf(set.metadata.name ?? '', b.metadata.name ?? '') - ordinalOf(set.metadata.name ?? '', a.metadata.name ?? ''));

  // The first unhealthy pod (replicas in order, then condemned lowest first) may be deleted even when ordered.
  const inOrder = [...[...replicas.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]), ...[...condemned].reverse()];
  const firstUnhealthy = inOrder.find((p) => !isHealthy(p));

  for (let o = start; o < end; o++) {
    const pod = replicas.get(o);
    if (pod && isPodFinished(pod) && !isTerminating(pod)) {
      // Failed or succeeded pods are replaced: delete now, recreate next round.
      actions.push({ type: 'delete', pod, reason: 'failed' });
      if (monotonic) return plan;
      continue;
    }
    if (!pod) {
      actions.push({ type: 'create', ordinal: o, revision: revisionForNewPod(set, o) });
      if (monotonic) return plan;
      continue;
    }
    if (isTerminating(pod)) {
      if (monotonic) return plan;
      continue;
    }
    if (!isRunningAndReady(pod)) {
      if (monotonic) return plan;
      continue;
    }
    if (!identityMatches(set, pod, o)) actions.push({ type: 'identity', pod, ordinal: o });
    const minReady = set.spec.minReadySeconds ?? 0;
    const avail = availabilityWait(pod, minReady, nowMs);
    if (!avail.available && monotonic) {
      plan.requeueAfterMs = avail.waitMs || minReady * 1000;
      return plan;
    }
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return plan;
      continue;
    }
    if (monotonic && !isHealthy(pod) && pod !== firstUnhealthy) return plan;
    actions.push({ type: 'delete', pod, reason: 'condemned' });
    if (monotonic) return plan;
  }
  // Parallel: updates wait for this round's creates and deletes to settle.
  if (actions.some((a) => a.type !== 'identity')) return plan;

  const strategy = set.spec.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return plan;
  const updateMin = start + (strategy?.rollingUpdate?.partition ?? 0);
  for (let o = end - 1; o >= updateMin; o--) {
    const pod = replicas.get(o);
    if (!pod) return plan;
    if (podRevision(pod) !== update.name && !isTerminating(pod)) {
      actions.push({ type: 'delete', pod, reason: 'update' });
      return plan;
    }
    if (!isHealthy(pod)) return plan;
  }
  return plan;
}
