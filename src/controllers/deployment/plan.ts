// Pure planning of replica counts: how far to scale the new ReplicaSet up and
// the old ones down in a rolling update, and how to spread a resize of the
// Deployment across its ReplicaSets. The controller applies the plans.
import { maxReplicasAnnotation } from './annotations.js';
import { desiredReplicas, isRollingUpdate, maxSurge, maxUnavailable } from './intstr.js';
import { availableReplicaSum, byCreation, bySizeNewer, bySizeOlder, filterActive, specReplicaSum, specReplicas } from './replicasets.js';
import type { DeploymentObject, ReplicaSetObject } from './types.js';

export interface ScaleStep {
  rs: ReplicaSetObject;
  to: number;
}

/** What the new ReplicaSet should be scaled to now. */
export function newRSNewReplicas(d: DeploymentObject, allRSs: ReplicaSetObject[], newRS: ReplicaSetObject): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = specReplicaSum(allRSs);
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

/** How many old replicas may go now without dropping below minimum availability. */
export function maxScaledDown(d: DeploymentObject, allRSs: ReplicaSetObject[], newRS: ReplicaSetObject | undefined): number {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  return specReplicaSum(allRSs) - minAvailable - newUnavailable;
}

/** First remove old replicas that are not available anyway (oldest ReplicaSets first), up to `limit`. */
export function planCleanupUnhealthy(oldRSs: ReplicaSetObject[], limit: number): ScaleStep[] {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= limit) break;
    const want = specReplicas(rs);
    const avail = rs.status?.availableReplicas ?? 0;
    if (want === 0 || want === avail) continue;
    const n = Math.min(limit - total, want - avail);
    steps.push({ rs, to: want - n });
    total += n;
  }
  return steps;
}

/** Then scale old ReplicaSets down (oldest first) while enough pods stay available. */
export function planScaleDownOld(d: DeploymentObject, allRSs: ReplicaSetObject[], oldRSs: ReplicaSetObject[]): ScaleStep[] {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = availableReplicaSum(allRSs);
  if (available <= minAvailable) return [];
  const budget = available - minAvailable;
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), budget - total);
    steps.push({ rs, to: specReplicas(rs) - n });
    total += n;
  }
  return steps;
}

/** The replicas this ReplicaSet gains (or loses) in proportion to its share of the old size. */
function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  const desired = desiredReplicas(d);
  if (desired === 0) return -specReplicas(rs);
  const deploymentReplicas = desired + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  // Go's math.Round: halves away from zero.
  const rounded = Math.sign(size) * Math.round(Math.abs(size));
  return rounded - specReplicas(rs);
}

function proportion(rs: ReplicaSetObject, d: DeploymentObject, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * A resize of a Deployment with several active ReplicaSets (mid-rollout):
 * spread the difference proportionally, leftovers to the largest.
 */
export function planProportionalScale(d: DeploymentObject, newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): { steps: ScaleStep[]; operation: 'up' | 'down' | '' } {
  const active = filterActive([...oldRSs, newRS]);
  const allowed = desiredReplicas(d) > 0 ? desiredReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaSum(active);
  let operation: 'up' | 'down' | '' = '';
  if (toAdd > 0) {
    active.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    active.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (active.length && toAdd !== 0) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  return { steps: active.map((rs, i) => ({ rs, to: sizes[i]! })), operation };
}
