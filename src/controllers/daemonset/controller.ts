// The DaemonSet controller: one pod per eligible node, following node
// selectors, required node affinity and taints; revisions of the template;
// RollingUpdate with maxUnavailable/maxSurge, or OnDelete.
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import { controllerRef, deepEqualJSON, type KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { ControllerExpectations } from '../../client/expectations.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { NAMESPACE_INDEX, OWNER_UID_INDEX, objectKey } from '../../client/store.js';
import type { Node, Pod } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { REVISION_HASH_LABEL, revisionsToPrune, type ControllerRevision } from '../workloads-shared/controller-revision.js';
import { newEventRecorder, type EventRecorder } from '../events.js';
import { claimCandidates, claimObjects, ownerRefTo, recheckOwner } from '../refmanager/claim.js';
import { controllerKey } from '../workloads-shared/owner.js';
import { runController } from '../workloads-shared/run-controller.js';
import { slowStartBatch } from '../workloads-shared/slow-start.js';
import { planDaemonSet, type DaemonPlan } from './plan.js';
import { newDaemonPod } from './pod-template.js';
import { currentDaemonRevision } from './revisions.js';
import type { DaemonSet } from './types.js';

const ownedBy = <T extends KubeObject>(objs: T[], uid: string): T[] =>
  objs.filter((o) => o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid));

class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly queue: RateLimitingQueue<string>;
  private readonly sets;
  private readonly pods;
  private readonly nodes;
  private readonly revisions;
  private readonly expectations: ControllerExpectations;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.sets = ctx.informers.informer<DaemonSet>(RESOURCES.daemonsets);
    this.pods = ctx.informers.informer<Pod>(RESOURCES.pods);
    this.nodes = ctx.informers.informer<Node>(RESOURCES.nodes);
    this.revisions = ctx.informers.informer<ControllerRevision>(RESOURCES.controllerrevisions);
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = newEventRecorder(ctx.client, 'daemonset-controller', () => ctx.clock.now());
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    const enqueueAll = () => {
      for (const k of this.sets.store.keys()) this.queue.add(k);
    };
    const onPod = (p: Pod, event: 'add' | 'update' | 'delete') => {
      const key = controllerKey(p, 'DaemonSet');
      if (!key) {
        // An orphan may be adopted by a set in its namespace whose selector matches it.
        if (!controllerRef(p) && event !== 'delete')
          for (const ds of this.sets.store.byIndex(NAMESPACE_INDEX, p.metadata.namespace ?? ''))
            if (matchesLabels(labelSelectorFromObject(ds.spec.selector), p.metadata.labels)) this.queue.add(objectKey(ds));
        return;
      }
      if (event === 'add') this.expectations.creationObserved(key);
      if (event === 'delete') this.expectations.deletionObserved(key);
      this.queue.add(key);
    };
    // Only changes that can alter eligibility or status matter.
    const nodeChanged = (a: Node, b: Node) => !deepEqualJSON(a.metadata.labels, b.metadata.labels) || !deepEqualJSON(a.spec, b.spec);
    const handlers = [
      this.sets.addEventHandler({
        onAdd: enqueue,
        onUpdate: (_o, n) => enqueue(n),
        onDelete: (o) => this.expectations.deleteExpectations(objectKey(deletedObject(o))),
      }),
      this.pods.addEventHandler({ onAdd: (p) => onPod(p, 'add'), onUpdate: (_o, n) => onPod(n, 'update'), onDelete: (p) => onPod(deletedObject(p), 'delete') }),
      this.nodes.addEventHandler({ onAdd: enqueueAll, onUpdate: (o, n) => nodeChanged(o, n) && enqueueAll(), onDelete: enqueueAll }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of handlers) h.remove();
    }
  }

  async reconcile(key: string): Promise<void> {
    const ds = this.sets.store.get(key);
    if (!ds) return;
    const satisfied = this.expectations.satisfiedExpectations(key);
    const uid = ds.metadata.uid ?? '';
    const ownedRevs = ownedBy(this.revisions.store.byIndex(OWNER_UID_INDEX, uid), uid);
    const { revision, hash } = await currentDaemonRevision(this.ctx.client, ds, ownedRevs);
    const candidates = claimCandidates(this.pods.store, ds);
    const pods = await claimObjects(candidates, this.ctx.client.pods, {
      owner: ds,
      ownerRef: ownerRefTo(ds, 'apps/v1', 'DaemonSet'),
      selector: labelSelectorFromObject(ds.spec.selector),
      recheck: recheckOwner(this.ctx.client.daemonsets, ds),
    });
    const plan = planDaemonSet({ ds, nodes: this.nodes.store.list(), pods, hash, nowMs: this.ctx.clock.now() });
    if (satisfied) await this.syncNodes(key, ds, plan, hash);
    await this.writeStatus(ds, plan);
    await this.pruneHistory(ds, [...ownedRevs, revision], pods, revision.metadata.name ?? '');
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private async syncNodes(key: string, ds: DaemonSet, plan: DaemonPlan, hash: string): Promise<void> {
    if (plan.create.length === 0 && plan.remove.length === 0) return;
    this.expectations.setExpectations(key, plan.create.length, plan.remove.length);
    const results = await Promise.allSettled([
      ...plan.remove.map(async (p) => {
        try {
          // A pod whose node is gone has no kubelet to stop it gracefully.
          const gone = p.spec?.nodeName !== undefined && !this.nodes.store.get(p.spec.nodeName);
          await this.ctx.client.pods.delete(p.metadata.namespace, p.metadata.name ?? '', gone ? { gracePeriodSeconds: 0 } : {});
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(err)) throw err;
        }
      }),
    ]);
    const created = await slowStartBatch(plan.create, async (node) => {
      try {
        const pod = await this.ctx.client.pods.create(ds.metadata.namespace, newDaemonPod(ds, node, hash));
        this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        this.expectations.creationObserved(key);
        this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    // Creates never attempted will not be observed either.
    for (let i = 0; i < created.skipped; i++) this.expectations.creationObserved(key);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (created.error) throw created.error;
  }

  private async writeStatus(ds: DaemonSet, plan: DaemonPlan): Promise<void> {
    if (deepEqualJSON(ds.status ?? {}, plan.status)) return;
    try {
      await this.ctx.client.daemonsets.updateStatus({ ...ds, status: plan.status } as KubeObject);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async pruneHistory(ds: DaemonSet, revs: ControllerRevision[], pods: Pod[], current: string): Promise<void> {
    const liveHashes = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]).filter((h): h is string => h !== undefined));
    const live = new Set<string>([current]);
    for (const r of revs) if (liveHashes.has(r.metadata.labels?.[REVISION_HASH_LABEL] ?? '')) live.add(r.metadata.name ?? '');
    const unique = [...new Map(revs.map((r) => [r.metadata.name, r])).values()];
    for (const r of revisionsToPrune(unique, live, ds.spec.revisionHistoryLimit ?? 10)) {
      try {
        await this.ctx.client.controllerrevisions.delete(r.metadata.namespace, r.metadata.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

export const daemonSetController: ControllerFactory = (ctx) => new DaemonSetController(ctx);
