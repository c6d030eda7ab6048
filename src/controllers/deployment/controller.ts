// The Deployment controller: informer events enqueue the Deployment's key;
// DeploymentSync does the work.
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import { controllerRef, type KubeObject } from '../../api/meta.js';
import { runWorkers } from '../../client/controller.js';
import { deletedObject, type DeletedFinalStateUnknown, type SharedInformer } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { NAMESPACE_INDEX, objectKey } from '../../client/store.js';
import type { Pod } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { newEventRecorder } from '../events.js';
import { DeploymentSync } from './sync.js';
import type { DeploymentObject, ReplicaSetObject } from './types.js';

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly queue = new RateLimitingQueue<string>();
  private readonly deployments: SharedInformer<DeploymentObject>;
  private readonly replicaSets: SharedInformer<ReplicaSetObject>;
  private readonly pods: SharedInformer<Pod>;
  private readonly syncer: DeploymentSync;

  constructor(private readonly ctx: ControllerContext) {
    this.deployments = ctx.informers.informer<DeploymentObject>(RESOURCES.deployments);
    this.replicaSets = ctx.informers.informer<ReplicaSetObject>(RESOURCES.replicasets);
    this.pods = ctx.informers.informer<Pod>(RESOURCES.pods);
    this.syncer = new DeploymentSync({
      client: ctx.client,
      clock: ctx.clock,
      replicaSets: this.replicaSets.store,
      pods: this.pods.store,
      record: newEventRecorder(ctx.client, 'deployment-controller', () => ctx.clock.now()),
      requeueAfter: (key, ms) => this.queue.addAfter(key, ms),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const regs = [
      this.deployments.addEventHandler({
        onAdd: (d) => this.enqueue(d),
        onUpdate: (_o, d) => this.enqueue(d),
        onDelete: (d) => this.enqueue(deletedObject(d)),
      }),
      this.replicaSets.addEventHandler({
        onAdd: (rs) => this.onReplicaSet(rs),
        onUpdate: (old, rs) => this.updateReplicaSet(old, rs),
        onDelete: (rs) => this.onReplicaSet(deletedObject(rs), true),
      }),
      this.pods.addEventHandler({ onDelete: (p) => this.deletePod(p) }),
    ];
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.ctx.informers.start();
      await Promise.all([this.deployments.waitForSync(), this.replicaSets.waitForSync(), this.pods.waitForSync()]);
      if (signal.aborted) return;
      await runWorkers(this.queue, this.ctx.options.workers ?? 5, (key) => this.sync(key), {
        onError: (key, err) => this.ctx.logger.warn('deployment sync failed', { key, err: String(err) }),
      });
    } finally {
      signal.removeEventListener('abort', stop);
      for (const r of regs) r.remove();
    }
  }

  async sync(key: string): Promise<void> {
    const d = this.deployments.store.get(key);
    if (d) await this.syncer.sync(key, d);
  }

  private enqueue(d: KubeObject): void {
    this.queue.add(objectKey(d));
  }

  private ownerOf(obj: KubeObject): DeploymentObject | undefined {
    const ref = controllerRef(obj);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.store.getByName(obj.metadata.namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments that could adopt an orphaned ReplicaSet. */
  private selecting(rs: ReplicaSetObject): DeploymentObject[] {
    return this.deployments.store.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '').filter((d) => matchesLabels(labelSelectorFromObject(d.spec.selector), rs.metadata.labels));
  }

  private onReplicaSet(rs: ReplicaSetObject, deleted = false): void {
    if (controllerRef(rs)) {
      const d = this.ownerOf(rs);
      if (d) this.enqueue(d);
      return;
    }
    if (!deleted) for (const d of this.selecting(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSetObject, cur: ReplicaSetObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = controllerRef(old);
    const curRef = controllerRef(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) {
      const d = this.ownerOf(old);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.ownerOf(cur);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || oldRef) for (const d of this.selecting(cur)) this.enqueue(d);
  }

  /** Recreate waits for old pods to be gone: a pod's deletion may unblock it. */
  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = deletedObject(obj);
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.store.getByName(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.ownerOf(rs);
    if (d?.spec.strategy?.type === 'Recreate') this.enqueue(d);
  }
}

export const deploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx);
