// The ReplicaSet controller: keeps `spec.replicas` pods matching the selector
// running, adopting orphans and releasing pods it no longer selects, creating
// in slow-start batches and deleting the least valuable pods first.
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import { controllerRef, deepCopyJSON, type KubeObject } from '../../api/meta.js';
import { ApiStatusError, isConflict, isNotFound } from '../../client/errors.js';
import { deletedObject, type DeletedFinalStateUnknown, type SharedInformer } from '../../client/informer.js';
import { runWorkers } from '../../client/controller.js';
import { RESOURCES } from '../../client/resources.js';
import { NAMESPACE_INDEX, OWNER_UID_INDEX, objectKey } from '../../client/store.js';
import type { Pod, ReplicaSet } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import { claimCandidates, claimObjects, ownerRefTo, recheckOwner } from '../refmanager/claim.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { podFromTemplate } from './pod-from-template.js';
import { isPodActive, isPodReady } from './pod-status.js';
import { podsToDelete } from './pods-to-delete.js';
import { slowStartBatch } from '../workloads-shared/slow-start.js';
import { calculateReplicaSetStatus, replicaSetStatusEqual } from './status.js';
import { TrackingExpectations } from './tracking-expectations.js';

/** Most creates or deletes one sync issues, as upstream's burstReplicas. */
export const BURST_REPLICAS = 500;

/** The shortest time between two reconciles of one ReplicaSet that its pods' events ask for. */
export const POD_EVENT_PERIOD_MS = 250;

const isNamespaceTerminating = (err: unknown): boolean =>
  err instanceof ApiStatusError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly queue = new RateLimitingQueue<string>();
  readonly expectations: TrackingExpectations;
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;

  constructor(private readonly ctx: ControllerContext) {
    this.expectations = new TrackingExpectations(ctx.clock);
    this.rsInformer = ctx.informers.informer<ReplicaSet>(RESOURCES.replicasets);
    this.podInformer = ctx.informers.informer<Pod>(RESOURCES.pods);
  }

  async run(signal: AbortSignal): Promise<void> {
    const regs = [
      this.rsInformer.addEventHandler({
        onAdd: (rs) => this.enqueue(rs),
        onUpdate: (_old, rs) => this.enqueue(rs),
        onDelete: (obj) => {
          const rs = deletedObject(obj);
          this.expectations.delete(objectKey(rs));
          this.enqueue(rs);
        },
      }),
      this.podInformer.addEventHandler({
        onAdd: (p) => this.addPod(p),
        onUpdate: (o, p) => this.updatePod(o, p),
        onDelete: (p) => this.deletePod(p),
      }),
    ];
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.ctx.informers.start();
      await Promise.all([this.rsInformer.waitForSync(), this.podInformer.waitForSync()]);
      if (signal.aborted) return;
      await runWorkers(this.queue, this.ctx.options.workers ?? 5, (key) => this.sync(key), {
        onError: (key, err) => this.ctx.logger.warn('replicaset sync failed', { key, err: String(err) }),
      });
    } finally {
      signal.removeEventListener('abort', stop);
      for (const r of regs) r.remove();
    }
  }

  private enqueue(rs: KubeObject): void {
    this.queue.add(objectKey(rs));
  }

  /** For pod events: a ReplicaSet with thousands of pods changing reconciles once per period, not once per pod. */
  private enqueueForPod(rs: KubeObject): void {
    this.queue.addThrottled(objectKey(rs), POD_EVENT_PERIOD_MS);
  }

  /** The ReplicaSet a pod's controllerRef names, if it is one we know with that uid. */
  private resolveOwner(pod: Pod): ReplicaSet | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.rsInformer.store.getByName(pod.metadata.namespace, ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets in the pod's namespace whose selector matches it (candidates to adopt it). */
  private selectingReplicaSets(pod: Pod): ReplicaSet[] {
    const ns = pod.metadata.namespace ?? '';
    return this.rsInformer.store.byIndex(NAMESPACE_INDEX, ns).filter((rs) => matchesLabels(labelSelectorFromObject(rs.spec?.selector), pod.metadata.labels));
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    if (controllerRef(pod)) {
      const rs = this.resolveOwner(pod);
      if (!rs) return;
      this.expectations.creationObserved(objectKey(rs));
      this.enqueueForPod(rs);
      return;
    }
    for (const rs of this.selectingReplicaSets(pod)) this.enqueueForPod(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const oldRef = controllerRef(old);
    const curRef = controllerRef(cur);
    const refChanged = JSON.stringify(oldRef) !== JSON.stringify(curRef);
    if (refChanged && oldRef) {
      const rs = this.resolveOwner(old);
      if (rs) this.enqueueForPod(rs);
    }
    if (curRef) {
      const rs = this.resolveOwner(cur);
      if (!rs) return;
      this.enqueueForPod(rs);
      // A pod that just became ready turns available after minReadySeconds: look again then.
      const minReady = Number(rs.spec?.minReadySeconds ?? 0);
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(objectKey(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.selectingReplicaSets(cur)) this.enqueueForPod(rs);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = deletedObject(obj);
    const rs = this.resolveOwner(pod);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.enqueueForPod(rs);
  }

  /** Reconciles one ReplicaSet: pods to the desired count, then status. */
  async sync(key: string): Promise<void> {
    const rs = this.rsInformer.store.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    const selector = labelSelectorFromObject(rs.spec?.selector);
    const active = claimCandidates(this.podInformer.store, rs).filter(isPodActive);
    const pods = await claimObjects(active, this.ctx.client.pods, {
      owner: rs,
      ownerRef: ownerRefTo(rs, 'apps/v1', 'ReplicaSet'),
      selector,
      recheck: recheckOwner(this.ctx.client.replicasets, rs),
    });
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    let manageError: unknown;
    if (needsSync) {
      try {
        await this.manageReplicas(key, rs, pods, diff);
      } catch (err) {
        manageError = err;
      }
    }
    const updated = await this.updateStatus(rs, calculateReplicaSetStatus(rs, pods, manageError, diff, this.ctx.clock.now()));
    const minReady = Number(rs.spec?.minReadySeconds ?? 0);
    const st = updated.status;
    if (manageError === undefined && minReady > 0 && (st?.readyReplicas ?? 0) === (rs.spec?.replicas ?? 1) && (st?.availableReplicas ?? 0) !== (rs.spec?.replicas ?? 1)) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  private async manageReplicas(key: string, rs: ReplicaSet, pods: Pod[], diff: number): Promise<void> {
    const namespace = rs.metadata.namespace ?? '';
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, n);
      const ref = ownerRefTo(rs, 'apps/v1', 'ReplicaSet');
      const { succeeded: successes, error } = await slowStartBatch(Array.from({ length: n }, (_, i) => i), async () => {
        try {
          await this.ctx.client.pods.submit(namespace, podFromTemplate(rs.spec?.template, namespace, rs.metadata.name ?? '', ref));
        } catch (err) {
          // Creates fail for good in a terminating namespace; that is not our failure.
          if (isNamespaceTerminating(err)) return;
          throw err;
        }
      });
      // Creations that were never issued or failed will never be observed.
      for (let i = successes; i < n; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(rs), n, this.ctx.clock.now());
      this.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
      const results = await Promise.allSettled(victims.map((p) => this.ctx.client.pods.delete(namespace, p.metadata.name ?? '')));
      let firstError: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        // The delete will never be observed as one of ours.
        this.expectations.deletionObserved(key, objectKey(victims[i]!));
        if (!isNotFound(r.reason)) firstError ??= r.reason;
      });
      if (firstError !== undefined) throw firstError;
    }
  }

  /** Active pods of this ReplicaSet's whole family (ReplicaSets with the same controller). */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRef(rs);
    const family = owner
      ? this.rsInformer.store.byIndex(OWNER_UID_INDEX, owner.uid).filter((r) => r.metadata.namespace === rs.metadata.namespace)
      : [rs];
    return family.flatMap((r) => this.podInformer.store.byIndex(OWNER_UID_INDEX, r.metadata.uid ?? '')).filter(isPodActive);
  }

  private async updateStatus(rs: ReplicaSet, status: ReturnType<typeof calculateReplicaSetStatus>): Promise<ReplicaSet> {
    if (replicaSetStatusEqual(rs.status, status)) return rs;
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      const next = deepCopyJSON(current);
      next.status = { ...status };
      try {
        return await this.ctx.client.replicasets.updateStatus(next);
      } catch (err) {
        if (!isConflict(err) || attempt >= 1) throw err;
        current = await this.ctx.client.replicasets.get(rs.metadata.namespace, rs.metadata.name ?? '');
        if (current.metadata.uid !== rs.metadata.uid) return current;
        status = { ...status, observedGeneration: rs.metadata.generation ?? 0 };
      }
    }
  }
}

export const replicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx);
