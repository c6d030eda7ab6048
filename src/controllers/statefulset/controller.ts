// The StatefulSet controller: stable pod identities created, replaced and
// removed in ordinal order (or in parallel), claims from volumeClaimTemplates,
// revisions of the template, and rolling updates from the highest ordinal down.
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import { controllerRef, deepEqualJSON, type KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { NAMESPACE_INDEX, OWNER_UID_INDEX, objectKey } from '../../client/store.js';
import type { Pod } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { revisionsToPrune, templateFromRevision, type ControllerRevision } from '../workloads-shared/controller-revision.js';
import { newEventRecorder, type EventRecorder } from '../events.js';
import { claimCandidates, claimObjects, ownerRefTo, recheckOwner } from '../refmanager/claim.js';
import { controllerKey } from '../workloads-shared/owner.js';
import { runController } from '../workloads-shared/run-controller.js';
import { claimsFor, newStatefulPod, ordinalOf, podRevision, POD_INDEX_LABEL, POD_NAME_LABEL } from './identity.js';
import { planStatefulSet, type StatefulAction } from './plan.js';
import { syncRevisions } from './revisions.js';
import type { PersistentVolumeClaim, StatefulSet } from './types.js';

const ownedBy = <T extends KubeObject>(objs: T[], uid: string): T[] =>
  objs.filter((o) => o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid));

class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  private readonly queue: RateLimitingQueue<string>;
  private readonly sets;
  private readonly pods;
  private readonly revisions;
  private readonly claims;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.sets = ctx.informers.informer<StatefulSet>(RESOURCES.statefulsets);
    this.pods = ctx.informers.informer<Pod>(RESOURCES.pods);
    this.revisions = ctx.informers.informer<ControllerRevision>(RESOURCES.controllerrevisions);
    this.claims = ctx.informers.informer<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims);
    this.recorder = newEventRecorder(ctx.client, 'statefulset-controller', () => ctx.clock.now());
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    const enqueueOwner = (o: KubeObject) => {
      const key = controllerKey(o, 'StatefulSet');
      if (key) this.queue.add(key);
      else if (!controllerRef(o)) this.enqueueSelecting(o);
    };
    const handlers = [
      this.sets.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: (o) => enqueue(deletedObject(o)) }),
      this.pods.addEventHandler({ onAdd: enqueueOwner, onUpdate: (o, n) => { enqueueOwner(o); enqueueOwner(n); }, onDelete: (o) => enqueueOwner(deletedObject(o)) }),
      this.revisions.addEventHandler({ onDelete: (o) => enqueueOwner(deletedObject(o)) }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of handlers) h.remove();
    }
  }

  /** An orphan may be adopted by any set in its namespace whose selector matches it. */
  private enqueueSelecting(o: KubeObject): void {
    for (const set of this.sets.store.byIndex(NAMESPACE_INDEX, o.metadata.namespace ?? ''))
      if (matchesLabels(labelSelectorFromObject(set.spec.selector), o.metadata.labels)) this.queue.add(objectKey(set));
  }

  async reconcile(key: string): Promise<void> {
    const set = this.sets.store.get(key);
    if (!set) return;
    const uid = set.metadata.uid ?? '';
    const ownedRevs = ownedBy(this.revisions.store.byIndex(OWNER_UID_INDEX, uid), uid);
    const { current, update } = await syncRevisions(this.ctx.client, set, ownedRevs);
    // Owned pods, plus orphans named like ours that the selector matches (adopted).
    const candidates = claimCandidates(this.pods.store, set).filter((p) => ordinalOf(set.metadata.name ?? '', p.metadata.name ?? '') >= 0 || controllerRef(p)?.uid === uid);
    const pods = await claimObjects(candidates, this.ctx.client.pods, {
      owner: set,
      ownerRef: ownerRefTo(set, 'apps/v1', 'StatefulSet'),
      selector: labelSelectorFromObject(set.spec.selector),
      recheck: recheckOwner(this.ctx.client.statefulsets, set),
    });
    const plan = planStatefulSet({ set, pods, current: { name: current.metadata.name ?? '' }, update: { name: update.metadata.name ?? '' }, nowMs: this.ctx.clock.now() });

    const templates = {
      current: (templateFromRevision(current) ?? set.spec.template) as StatefulSet['spec']['template'],
      update: set.spec.template,
    };
    const revNames = { current: current.metadata.name ?? '', update: update.metadata.name ?? '' };
    const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const apply = (a: StatefulAction): Promise<void> => {
      if (a.type === 'create') return this.createPod(set, templates[a.revision], a.ordinal, revNames[a.revision]);
      if (a.type === 'identity') return this.restoreIdentity(set, a.pod, a.ordinal);
      return this.deletePod(set, a.pod, a.reason);
    };
    if (monotonic) for (const a of plan.actions) await apply(a);
    else await Promise.all(plan.actions.map(apply));

    await this.writeStatus(set, plan.status);
    await this.pruneHistory(set, [...ownedRevs, update], pods, [revNames.current, revNames.update]);
    if (plan.requeueAfterMs) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private async restoreIdentity(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    await this.createClaims(set, ordinal, pod.metadata.name ?? '');
    const labels = { [POD_NAME_LABEL]: pod.metadata.name ?? '', [POD_INDEX_LABEL]: String(ordinal) };
    try {
      await this.ctx.client.pods.patch(pod.metadata.namespace, pod.metadata.name ?? '', { metadata: { labels } }, 'merge');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async createPod(set: StatefulSet, template: StatefulSet['spec']['template'], ordinal: number, revision: string): Promise<void> {
    const pod = newStatefulPod(set, template, ordinal, revision);
    await this.createClaims(set, ordinal, pod.metadata.name ?? '');
    try {
      await this.ctx.client.pods.create(set.metadata.namespace, pod);
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
  }

  /** The claims from volumeClaimTemplates that do not exist yet. */
  private async createClaims(set: StatefulSet, ordinal: number, podName: string): Promise<void> {
    for (const claim of claimsFor(set, ordinal)) {
      if (this.claims.store.getByName(claim.metadata.namespace, claim.metadata.name ?? '')) continue;
      if (set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete')
        claim.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
      try {
        await this.ctx.client.persistentvolumeclaims.create(claim.metadata.namespace, claim);
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${podName} in StatefulSet ${set.metadata.name} success`);
      } catch (err) {
        if (!isAlreadyExists(err)) {
          this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
          throw err;
        }
      }
    }
  }

  private async deletePod(set: StatefulSet, pod: Pod, reason: 'failed' | 'condemned' | 'update'): Promise<void> {
    if (reason === 'condemned' && set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await this.handOverClaims(set, pod);
    try {
      await this.ctx.client.pods.delete(pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
      this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** whenScaled=Delete: a condemned pod's claims become owned by the pod, so they go with it. */
  private async handOverClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = Number(pod.metadata.name?.slice((set.metadata.name ?? '').length + 1));
    for (const want of claimsFor(set, ordinal)) {
      const claim = this.claims.store.getByName(want.metadata.namespace, want.metadata.name ?? '');
      if (!claim || claim.metadata.ownerReferences?.some((r) => r.uid === pod.metadata.uid)) continue;
      const refs = [...(claim.metadata.ownerReferences ?? []), { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' }];
      await this.ctx.client.persistentvolumeclaims.patch(claim.metadata.namespace, claim.metadata.name ?? '', { metadata: { ownerReferences: refs } }, 'merge');
    }
  }

  private async writeStatus(set: StatefulSet, status: NonNullable<StatefulSet['status']>): Promise<void> {
    if (deepEqualJSON(set.status ?? {}, status)) return;
    try {
      await this.ctx.client.statefulsets.updateStatus({ ...set, status } as KubeObject);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async pruneHistory(set: StatefulSet, revs: ControllerRevision[], pods: Pod[], keep: string[]): Promise<void> {
    const live = new Set<string>(keep);
    for (const p of pods) {
      const r = podRevision(p);
      if (r) live.add(r);
    }
    const unique = [...new Map(revs.map((r) => [r.metadata.name, r])).values()];
    for (const r of revisionsToPrune(unique, live, set.spec.revisionHistoryLimit ?? 10)) {
      try {
        await this.ctx.client.controllerrevisions.delete(r.metadata.namespace, r.metadata.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

export const statefulSetController: ControllerFactory = (ctx) => new StatefulSetController(ctx);
