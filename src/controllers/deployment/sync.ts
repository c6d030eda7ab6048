// One Deployment's reconciliation, as upstream's deployment controller: find
// or create the new ReplicaSet, roll (RollingUpdate or Recreate), scale,
// clean up history and report status and conditions.
import { deepCopyJSON, deepEqualJSON } from '../../api/meta.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { KubeClient } from '../../client/client.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { RESOURCES } from '../../client/resources.js';
import type { Store } from '../../client/store.js';
import { NAMESPACE_INDEX, OWNER_UID_INDEX } from '../../client/store.js';
import type { Pod } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';
import { claimObjects, ownerRefTo, recheckOwner } from '../refmanager/claim.js';
import { REVISION_ANNOTATION, desiredReplicasAnnotation, maxRevision, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations } from './annotations.js';
import {
  PROGRESSING, REASONS, REPLICA_FAILURE, calculateStatus, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, removeCondition, setCondition,
} from './conditions.js';
import type { EventRecorder } from '../events.js';
import { POD_TEMPLATE_HASH_LABEL, computeTemplateHash } from './hash.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './intstr.js';
import { maxScaledDown, newRSNewReplicas, planCleanupUnhealthy, planProportionalScale, planScaleDownOld } from './plan.js';
import { actualReplicaSum, byRevision, equalIgnoreHash, filterActive, findActiveOrLatest, findNewReplicaSet, isSaturated, specReplicas } from './replicasets.js';
import type { DeploymentObject, DeploymentStatus, ReplicaSetObject } from './types.js';

export interface SyncDeps {
  client: KubeClient;
  clock: Clock;
  replicaSets: Store<ReplicaSetObject>;
  pods: Store<Pod>;
  record: EventRecorder;
  /** Look at this deployment again later (progress deadline checks). */
  requeueAfter(key: string, ms: number): void;
}

interface RSSet {
  newRS: ReplicaSetObject | undefined;
  oldRSs: ReplicaSetObject[];
}

const typed = (d: DeploymentObject): DeploymentObject => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' });

export class DeploymentSync {
  constructor(private readonly deps: SyncDeps) {}

  private get rsClient() {
    return this.deps.client.resource<ReplicaSetObject>(RESOURCES.replicasets);
  }

  private get deployClient() {
    return this.deps.client.resource<DeploymentObject>(RESOURCES.deployments);
  }

  private get now(): number {
    return this.deps.clock.now();
  }

  async sync(key: string, cached: DeploymentObject): Promise<void> {
    const d = deepCopyJSON(cached);
    const sel = d.spec.selector ?? {};
    if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
      this.deps.record.event(typed(d), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation };
        await this.writeStatus(d);
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    await this.checkPausedConditions(d);
    if (d.spec.paused || (await this.isScalingEvent(d, rsList))) return this.syncScale(d, rsList);
    if (d.spec.strategy?.type === 'Recreate') return this.rolloutRecreate(key, d, rsList);
    return this.rolloutRolling(key, d, rsList);
  }

  // ---- ReplicaSets ----

  private async claimReplicaSets(d: DeploymentObject): Promise<ReplicaSetObject[]> {
    const ns = d.metadata.namespace ?? '';
    const candidates = this.deps.replicaSets.byIndex(NAMESPACE_INDEX, ns);
    const claimed = await claimObjects(candidates, this.rsClient, {
      owner: d,
      ownerRef: ownerRefTo(d, 'apps/v1', 'Deployment'),
      selector: labelSelectorFromObject(d.spec.selector),
      recheck: recheckOwner(this.deps.client.deployments, d),
    });
    return claimed.map((rs) => deepCopyJSON(rs as ReplicaSetObject));
  }

  private async getAllReplicaSetsAndSyncRevision(d: DeploymentObject, rsList: ReplicaSetObject[], create: boolean): Promise<RSSet> {
    const existing = findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, existing, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: DeploymentObject, rsList: ReplicaSetObject[], oldRSs: ReplicaSetObject[], existing: ReplicaSetObject | undefined, create: boolean): Promise<ReplicaSetObject | undefined> {
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) {
      const copy = deepCopyJSON(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, maxSurge(d));
      const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      let rs = existing;
      if (annotationsChanged || minReadyChanged) {
        copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        rs = await this.rsClient.update(copy);
        replaceIn(rsList, existing, rs);
        replaceIn(oldRSs, existing, rs);
      }
      await this.setDeploymentRevision(d, rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
        d.status ??= {};
        setCondition(d.status, newCondition(PROGRESSING, 'True', REASONS.foundNewRS, `Found new replica set "${rs.metadata.name}"`, this.now));
        await this.writeStatus(d);
      }
      return rs;
    }
    if (!create) return undefined;

    const hash = computeTemplateHash(d.spec.template, d.status?.collisionCount);
    const template = deepCopyJSON(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = deepCopyJSON(d.spec.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const fresh: ReplicaSetObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [ownerRefTo(d, 'apps/v1', 'Deployment')], labels: template.metadata.labels },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    fresh.spec.replicas = newRSNewReplicas(d, [...oldRSs, fresh], fresh);
    setNewReplicaSetAnnotations(d, fresh, newRevision, false, maxSurge(d));

    let created: ReplicaSetObject;
    let alreadyExists = false;
    try {
      created = await this.rsClient.create(fresh.metadata.namespace, fresh);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        if (hasProgressDeadline(d)) {
          d.status ??= {};
          const msg = `Failed to create new replica set "${fresh.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
          setCondition(d.status, newCondition(PROGRESSING, 'False', REASONS.failedRSCreate, msg, this.now));
          await this.writeStatus(d).catch(() => {});
        }
        throw err;
      }
      // Ours already (a stale cache), or a hash collision: then bump collisionCount and retry.
      const other = await this.rsClient.get(fresh.metadata.namespace, fresh.metadata.name!);
      const ref = other.metadata.ownerReferences?.find((r) => r.controller);
      if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, other.spec.template)) {
        created = other;
        alreadyExists = true;
      } else {
        d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await this.writeStatus(d);
        throw new Error(`hash collision for ReplicaSet ${fresh.metadata.name}: collisionCount is now ${d.status.collisionCount}`);
      }
    }
    rsList.push(created);
    if (!alreadyExists && specReplicas(created) > 0) {
      this.deps.record.event(typed(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${specReplicas(created)}`);
    }
    await this.setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      d.status ??= {};
      setCondition(d.status, newCondition(PROGRESSING, 'True', REASONS.newRSCreated, `Created new replica set "${created.metadata.name}"`, this.now));
      await this.writeStatus(d);
    }
    return created;
  }

  /** The Deployment carries its current revision as an annotation (a metadata write, not status). */
  private async setDeploymentRevision(d: DeploymentObject, revision: string): Promise<void> {
    if (!revision || d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    const status = d.status;
    const updated = await this.deployClient.patch(d.metadata.namespace, d.metadata.name ?? '', {
      metadata: { annotations: { [REVISION_ANNOTATION]: revision }, resourceVersion: d.metadata.resourceVersion },
    }, 'merge');
    Object.assign(d, updated, { status });
  }

  private async writeStatus(d: DeploymentObject): Promise<void> {
    const updated = await this.deployClient.updateStatus(d);
    Object.assign(d, updated);
  }

  /** Scales one ReplicaSet and keeps its desired/max-replicas annotations current; returns the new object. */
  private async scaleReplicaSet(rs: ReplicaSetObject, to: number, d: DeploymentObject, operation: string): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
    const sizeChanged = specReplicas(rs) !== to;
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = deepCopyJSON(rs);
    copy.spec.replicas = to;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.rsClient.update(copy);
    if (sizeChanged) this.deps.record.event(typed(d), 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name} from ${specReplicas(rs)} to ${to}`);
    return { scaled: sizeChanged, rs: updated };
  }

  private async scaleAndRecord(rs: ReplicaSetObject, to: number, d: DeploymentObject): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
    if (specReplicas(rs) === to) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, to, d, specReplicas(rs) < to ? 'up' : 'down');
  }

  // ---- Strategies ----

  private async rolloutRolling(key: string, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    let allRSs = [...oldRSs, newRS!];
    let nrs = newRS!;
    // Scale up the new ReplicaSet as far as surge allows.
    if (specReplicas(nrs) !== desiredReplicas(d)) {
      const to = specReplicas(nrs) > desiredReplicas(d) ? desiredReplicas(d) : newRSNewReplicas(d, allRSs, nrs);
      const r = await this.scaleAndRecord(nrs, to, d);
      nrs = r.rs;
      if (r.scaled) return this.syncRolloutStatus(key, [...oldRSs, nrs], nrs, d);
    }
    // Then scale old ones down as far as availability allows.
    allRSs = [...oldRSs, nrs];
    if (await this.reconcileOldReplicaSets(allRSs, filterActive(oldRSs), nrs, d)) return this.syncRolloutStatus(key, allRSs, nrs, d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(key, allRSs, nrs, d);
  }

  private async reconcileOldReplicaSets(allRSs: ReplicaSetObject[], oldRSs: ReplicaSetObject[], newRS: ReplicaSetObject, d: DeploymentObject): Promise<boolean> {
    if (oldRSs.reduce((n, rs) => n + specReplicas(rs), 0) === 0) return false;
    const limit = maxScaledDown(d, allRSs, newRS);
    if (limit <= 0) return false;
    let cleaned = 0;
    const current = [...oldRSs];
    for (const step of planCleanupUnhealthy(current, limit)) {
      const r = await this.scaleAndRecord(step.rs, step.to, d);
      cleaned += specReplicas(step.rs) - step.to;
      replaceIn(current, step.rs, r.rs);
    }
    let scaledDown = 0;
    for (const step of planScaleDownOld(d, [...current, newRS], current)) {
      await this.scaleAndRecord(step.rs, step.to, d);
      scaledDown += specReplicas(step.rs) - step.to;
    }
    return cleaned + scaledDown > 0;
  }

  private async rolloutRecreate(key: string, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let scaledDown = false;
    for (const rs of filterActive(oldRSs)) {
      const r = await this.scaleAndRecord(rs, 0, d);
      scaledDown ||= r.scaled;
      replaceIn(oldRSs, rs, r.rs);
    }
    const all = () => [...oldRSs, ...(newRS ? [newRS] : [])];
    if (scaledDown || this.oldPodsRunning(d, newRS, oldRSs)) return this.syncRolloutStatus(key, all(), newRS, d);
    if (!newRS) ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    newRS = (await this.scaleAndRecord(newRS!, desiredReplicas(d), d)).rs;
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(key, all(), newRS, d);
  }

  /** Recreate waits until no pod of an old ReplicaSet is left running. */
  private oldPodsRunning(d: DeploymentObject, newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): boolean {
    if (actualReplicaSum(oldRSs) > 0) return true;
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const selector = labelSelectorFromObject(d.spec.selector);
    const oldPods = [...oldUids].flatMap((uid) => this.deps.pods.byIndex(OWNER_UID_INDEX, uid ?? ''));
    return oldPods.some((p) => {
      const ref = p.metadata.ownerReferences?.find((r) => r.controller);
      if (!ref || !oldUids.has(ref.uid) || ref.uid === newRS?.metadata.uid || !matchesLabels(selector, p.metadata.labels)) return false;
      return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
    });
  }

  // ---- Paused, scaling, deleting ----

  private async checkPausedConditions(d: DeploymentObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === REASONS.timedOut) return;
    const pausedCond = cond?.reason === REASONS.paused;
    d.status ??= {};
    if (d.spec.paused && !pausedCond) setCondition(d.status, newCondition(PROGRESSING, 'Unknown', REASONS.paused, 'Deployment is paused', this.now));
    else if (!d.spec.paused && pausedCond) setCondition(d.status, newCondition(PROGRESSING, 'Unknown', REASONS.resumed, 'Deployment is resumed', this.now));
    else return;
    await this.writeStatus(d);
  }

  private async isScalingEvent(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== desiredReplicas(d);
    });
  }

  /** Paused or resized: scale without rolling, then report. */
  private async syncScale(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
  }

  private async scale(d: DeploymentObject, newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): Promise<void> {
    const only = findActiveOrLatest(newRS, oldRSs);
    if (only) {
      if (specReplicas(only) !== desiredReplicas(d)) await this.scaleAndRecord(only, desiredReplicas(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const rs of filterActive(oldRSs)) await this.scaleAndRecord(rs, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const { steps, operation } = planProportionalScale(d, newRS, oldRSs);
    for (const s of steps) await this.scaleReplicaSet(s.rs, s.to, d, operation);
  }

  private async syncStatusOnly(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
  }

  private async syncDeploymentStatus(allRSs: ReplicaSetObject[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.now);
    if (deepEqualJSON(d.status ?? {}, status)) return;
    d.status = status;
    await this.writeStatus(d);
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private async cleanupDeployment(oldRSs: ReplicaSetObject[], d: DeploymentObject): Promise<void> {
    const limit = d.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.deps.client.replicasets.delete(rs.metadata.namespace, rs.metadata.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // ---- Rollout status ----

  private async syncRolloutStatus(key: string, allRSs: ReplicaSetObject[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.now);
    if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
    const current = getCondition(d.status, PROGRESSING);
    const complete = status.replicas === status.updatedReplicas && current?.reason === REASONS.newRSAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition(PROGRESSING, 'True', REASONS.newRSAvailable, `${subject} has successfully progressed.`, this.now));
      } else if (deploymentProgressing(d, status)) {
        const c = newCondition(PROGRESSING, 'True', REASONS.rsUpdated, `${subject} is progressing.`, this.now);
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, PROGRESSING);
        }
        setCondition(status, c);
      } else if (deploymentTimedOut(d, status, this.now)) {
        setCondition(status, newCondition(PROGRESSING, 'False', REASONS.timedOut, `${subject} has timed out progressing.`, this.now));
      }
    }
    const failure = replicaFailure(allRSs, newRS);
    if (failure) setCondition(status, failure);
    else removeCondition(status, REPLICA_FAILURE);
    if (deepEqualJSON(d.status ?? {}, status)) {
      this.requeueStuck(key, d, status);
      return;
    }
    d.status = status;
    await this.writeStatus(d);
  }

  /** A rollout that has not finished: look again when its progress deadline passes. */
  private requeueStuck(key: string, d: DeploymentObject, status: DeploymentStatus): void {
    const c = getCondition(status, PROGRESSING);
    if (!hasProgressDeadline(d) || !c || deploymentComplete(d, status) || c.reason === REASONS.timedOut) return;
    const from = c.lastUpdateTime ? Date.parse(c.lastUpdateTime) : this.now;
    const after = from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - this.now;
    this.deps.requeueAfter(key, Math.max(after, 1000));
  }
}

/** The new ReplicaSet's ReplicaFailure (if any), else an old one's, as a Deployment condition. */
function replicaFailure(allRSs: ReplicaSetObject[], newRS: ReplicaSetObject | undefined) {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : allRSs;
  for (const rs of ordered) {
    const c = rs.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    if (c) return { type: REPLICA_FAILURE, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

function replaceIn<T>(list: T[], old: T, next: T): void {
  const i = list.indexOf(old);
  if (i >= 0) list[i] = next;
}

