// The DaemonSet algorithm as a pure function: which nodes need a pod, which
// pods must go (ineligible node, gone node, failed, duplicate, rolling
// update within maxUnavailable/maxSurge), and the status.
import type { Node, Pod } from '../../client/types.js';
import { REVISION_HASH_LABEL } from '../workloads-shared/controller-revision.js';
import { availabilityWait, isPodReady, isTerminating } from '../workloads-shared/pod-state.js';
import { nodeShouldRunDaemonPod, type Eligibility } from './node-eligibility.js';
import { daemonTolerations, targetNodeName } from './pod-template.js';
import type { DaemonSet, DaemonSetStatus, IntOrPercent } from './types.js';

export interface DaemonPlan {
  /** Nodes to create a pod for (at the current revision). */
  create: string[];
  remove: Pod[];
  status: DaemonSetStatus;
  requeueAfterMs?: number;
}

export interface DaemonPlanInput {
  ds: DaemonSet;
  nodes: Node[];
  /** Pods the set controls. */
  pods: Pod[];
  /** The current revision's hash. */
  hash: string;
  nowMs: number;
}

export const BURST_REPLICAS = 250;

/** An int, or a percent of `total` rounded up (as upstream does for DaemonSets). */
export function scaledValue(v: IntOrPercent | undefined, total: number): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return /^\d+$/.test(v) ? Number(v) : 0;
}

const byAge = (a: Pod, b: Pod) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
const isUpdated = (p: Pod, hash: string) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash;

/** The one new and one old pod on a node; ok=false when there are more of either. */
function findUpdatedPodsOnNode(pods: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isUpdated(p, hash)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

export function planDaemonSet(input: DaemonPlanInput): DaemonPlan {
  const { ds, nodes, pods, hash, nowMs } = input;
  const minReady = ds.spec.minReadySeconds ?? 0;
  const plan: DaemonPlan = { create: [], remove: [], status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 } };
  const wait = (ms: number) => {
    if (ms > 0) plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, ms);
  };
  const available = (p: Pod) => {
    const a = availabilityWait(p, minReady, nowMs);
    wait(a.waitMs);
    return a.available;
  };

  const byNode = new Map<string, Pod[]>();
  const strays: Pod[] = [];
  for (const p of pods) {
    const n = targetNodeName(p);
    if (n === undefined) strays.push(p);
    else byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const tolerations = daemonTolerations(ds.spec.template.spec);
  const spec = ds.spec.template.spec ?? { containers: [] };
  const maxSurgeConfigured = ds.spec.updateStrategy?.type !== 'OnDelete' && scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxSurge, 1) > 0;
  const eligibility = new Map<string, Eligibility>();
  const deleting = ds.metadata.deletionTimestamp != null;

  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const e = nodeShouldRunDaemonPod(node, spec, tolerations);
    eligibility.set(name, e);
    const onNode = (byNode.get(name) ?? []).filter((p) => !isTerminating(p));
    if (deleting) continue;
    if (e.shouldRun && onNode.length === 0) {
      plan.create.push(name);
      continue;
    }
    if (!e.shouldContinueRunning) {
      plan.remove.push(...onNode);
      continue;
    }
    // Failed pods are replaced; the rest are deduplicated.
    const failed = onNode.filter((p) => p.status?.phase === 'Failed');
    plan.remove.push(...failed);
    const running = onNode.filter((p) => p.status?.phase !== 'Failed').sort(byAge);
    if (running.length === 0) {
      if (e.shouldRun && failed.length === 0) plan.create.push(name);
      continue;
    }
    if (running.length > 1) {
      if (!maxSurgeConfigured) plan.remove.push(...running.slice(1));
      else {
        // With surge, one new and one old pod may share a node; the oldest of each stays.
        const newest = running.filter((p) => isUpdated(p, hash));
        const old = running.filter((p) => !isUpdated(p, hash));
        plan.remove.push(...newest.slice(1), ...old.slice(1));
        if (newest[0] && available(newest[0]) && old[0]) plan.remove.push(old[0]);
      }
    }
  }
  // Pods for nodes that no longer exist.
  for (const [name, ps] of byNode) if (!eligibility.has(name)) plan.remove.push(...ps.filter((p) => !isTerminating(p)));
  plan.remove.push(...strays.filter((p) => !isTerminating(p)));

  // Status.
  const s = plan.status;
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const e = eligibility.get(name)!;
    const onNode = (byNode.get(name) ?? []).sort(byAge);
    if (e.shouldRun) {
      s.desiredNumberScheduled++;
      if (onNode.length > 0) {
        s.currentNumberScheduled++;
        const p = onNode[0]!;
        if (isPodReady(p)) {
          s.numberReady++;
          if (available(p)) s.numberAvailable = (s.numberAvailable ?? 0) + 1;
        }
        if (isUpdated(p, hash)) s.updatedNumberScheduled = (s.updatedNumberScheduled ?? 0) + 1;
      }
    } else if (onNode.length > 0) s.numberMisscheduled++;
  }
  s.observedGeneration = ds.metadata.generation;
  s.updatedNumberScheduled ??= 0;
  s.numberAvailable ??= 0;
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  if (ds.status?.collisionCount !== undefined) s.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions) s.conditions = ds.status.conditions;

  if (!deleting && plan.create.length === 0 && plan.remove.length === 0 && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') rollingUpdate(plan, input, byNode, eligibility, available);
  // Bounded bursts, as upstream's burstReplicas; the next sync continues.
  if (plan.create.length > BURST_REPLICAS) plan.create = plan.create.slice(0, BURST_REPLICAS);
  return plan;
}

/** One step of the rolling update: as upstream, without surge it deletes old pods; with surge it creates new ones beside them. */
function rollingUpdate(plan: DaemonPlan, input: DaemonPlanInput, byNode: Map<string, Pod[]>, eligibility: Map<string, Eligibility>, available: (p: Pod) => boolean): void {
  const { ds, hash } = input;
  const desired = plan.status.desiredNumberScheduled;
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, desired);
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? 1, desired);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const nodes = [...byNode.keys()].filter((n) => eligibility.get(n)?.shouldRun).sort();

  if (maxSurge === 0) {
    let unavailable = 0;
    const replaceNow: Pod[] = [];
    const candidates: Pod[] = [];
    for (const n of nodes) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(byNode.get(n)!, hash);
      if (!ok) {
        unavailable++;
        continue;
      }
      if (!oldPod) {
        if (!newPod || !available(newPod)) unavailable++;
      } else if (!available(oldPod)) replaceNow.push(oldPod);
      else candidates.push(oldPod);
    }
    // Nodes that should run a pod but have none count as unavailable too.
    for (const [n, e] of eligibility) if (e.shouldRun && !byNode.has(n)) unavailable++;
    const budget = Math.max(0, maxUnavailable - unavailable);
    plan.remove.push(...replaceNow, ...candidates.slice(0, budget));
    return;
  }

  let surging = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  for (const n of nodes) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(byNode.get(n)!, hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) allowedNew.push(n);
      else candidateNew.push(n);
    } else if (!available(newPod)) surging++;
    else plan.remove.push(oldPod);
  }
  const budget = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  plan.create.push(...allowedNew, ...candidateNew.slice(0, budget));
}
