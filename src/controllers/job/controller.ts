// The Job controller: runs pods to completion as the spec asks, tracking
// every terminated pod through the job-tracking finalizer so none is counted
// twice or lost, and ends the job with upstream's conditions.
import { deepEqualJSON, type KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { ControllerExpectations } from '../../client/expectations.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { OWNER_UID_INDEX, objectKey } from '../../client/store.js';
import type { Pod } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { newEventRecorder, type EventRecorder } from '../events.js';
import { controllerKey } from '../workloads-shared/owner.js';
import { runController } from '../workloads-shared/run-controller.js';
import { slowStartBatch } from '../workloads-shared/slow-start.js';
import { hasTrueCondition } from './conditions.js';
import { defaultJobBackoff, planJob, type JobPlan } from './plan.js';
import { newJobPod } from './pod-template.js';
import { JOB_TRACKING_FINALIZER, type BatchJob } from './types.js';

export interface JobControllerOptions {
  /** Delay before replacing failed pods, by number of failures (upstream: 10 s doubling, max 6 min). */
  backoff?: (failures: number) => number;
}

// Orphaned pods still carrying our finalizer are queued under this prefix.
const ORPHAN_PREFIX = 'orphan-pod:';

class JobController implements Controller {
  readonly name = 'job';
  private readonly queue: RateLimitingQueue<string>;
  private readonly jobs;
  private readonly pods;
  private readonly expectations: ControllerExpectations;
  private readonly lastFailure = new Map<string, number>();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly opts: JobControllerOptions) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.jobs = ctx.informers.informer<BatchJob>(RESOURCES.jobs);
    this.pods = ctx.informers.informer<Pod>(RESOURCES.pods);
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = newEventRecorder(ctx.client, 'job-controller', () => ctx.clock.now());
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    const onPod = (p: Pod, event: 'add' | 'update' | 'delete') => {
      const key = controllerKey(p, 'Job');
      if (!key) return;
      if (event === 'add') this.expectations.creationObserved(key);
      if (event === 'delete') this.expectations.deletionObserved(key);
      if (!this.jobs.store.get(key) && p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) && event !== 'delete') this.queue.add(ORPHAN_PREFIX + objectKey(p));
      else this.queue.add(key);
    };
    const handlers = [
      this.jobs.addEventHandler({
        onAdd: enqueue,
        onUpdate: (_o, n) => enqueue(n),
        onDelete: (o) => {
          const job = deletedObject(o);
          this.expectations.deleteExpectations(objectKey(job));
          this.lastFailure.delete(objectKey(job));
          // Its pods lose the finalizer so they can go.
          for (const p of this.pods.store.byIndex(OWNER_UID_INDEX, job.metadata.uid ?? '')) if (p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) this.queue.add(ORPHAN_PREFIX + objectKey(p));
        },
      }),
      this.pods.addEventHandler({ onAdd: (p) => onPod(p, 'add'), onUpdate: (_o, n) => onPod(n, 'update'), onDelete: (p) => onPod(deletedObject(p), 'delete') }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of handlers) h.remove();
    }
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_PREFIX)) return this.releaseOrphan(key.slice(ORPHAN_PREFIX.length));
    const job = this.jobs.store.get(key);
    if (!job) return;
    // Checked before reading pods: a create observed after this point must not look missing.
    const satisfied = this.expectations.satisfiedExpectations(key);
    const uid = job.metadata.uid ?? '';
    const pods = this.pods.store.byIndex(OWNER_UID_INDEX, uid).filter((p) => p.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid));
    const nowMs = this.ctx.clock.now();
    const plan = planJob({ job, pods, nowMs, lastFailureMs: this.lastFailure.get(key), backoff: this.opts.backoff ?? defaultJobBackoff });
    if (plan.newFailures > 0) this.lastFailure.set(key, nowMs);

    // Record outcomes before releasing pods, so a crash between the two cannot lose a count.
    await this.writeStatus(job, plan);
    await Promise.all(plan.removeFinalizers.map((p) => this.removeFinalizer(p)));
    if (satisfied) await this.managePods(key, job, plan);
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private async writeStatus(job: BatchJob, plan: JobPlan): Promise<void> {
    const before = job.status ?? {};
    if (deepEqualJSON(before, plan.status)) return;
    await this.ctx.client.jobs.updateStatus({ ...job, status: plan.status } as KubeObject);
    for (const type of ['Complete', 'Failed', 'Suspended'] as const) {
      if (hasTrueCondition(plan.status.conditions, type) && !hasTrueCondition(before.conditions, type)) {
        const c = plan.status.conditions!.find((x) => x.type === type)!;
        if (type === 'Complete') this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
        else if (type === 'Failed') this.recorder.event(job, 'Warning', c.reason ?? 'Failed', c.message ?? '');
        else this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
      }
    }
  }

  private async managePods(key: string, job: BatchJob, plan: JobPlan): Promise<void> {
    if (plan.create.length === 0 && plan.remove.length === 0) return;
    this.expectations.setExpectations(key, plan.create.length, plan.remove.length);
    const results = await Promise.allSettled([
      ...plan.remove.map(async (p) => {
        try {
          await this.ctx.client.pods.delete(p.metadata.namespace, p.metadata.name ?? '');
          this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(err)) throw err;
        }
      }),
    ]);
    const created = await slowStartBatch(plan.create, async (index) => {
      try {
        const pod = await this.ctx.client.pods.create(job.metadata.namespace, newJobPod(job, index));
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        this.expectations.creationObserved(key);
        if (isAlreadyExists(err)) return;
        this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    // Creates never attempted will not be observed either.
    for (let i = 0; i < created.skipped; i++) this.expectations.creationObserved(key);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (created.error) throw created.error;
  }

  private async removeFinalizer(pod: Pod): Promise<void> {
    const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
    try {
      await this.ctx.client.pods.patch(pod.metadata.namespace, pod.metadata.name ?? '', { metadata: { finalizers: finalizers.length > 0 ? finalizers : null } }, 'merge');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async releaseOrphan(podKey: string): Promise<void> {
    const pod = this.pods.store.get(podKey);
    if (!pod?.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) return;
    const owner = controllerKey(pod, 'Job');
    const job = owner ? this.jobs.store.get(owner) : undefined;
    if (job && pod.metadata.ownerReferences?.some((r) => r.uid === job.metadata.uid)) {
      this.queue.add(owner!);
      return;
    }
    await this.removeFinalizer(pod);
  }
}

export function newJobController(opts: JobControllerOptions = {}): ControllerFactory {
  return (ctx: ControllerContext) => new JobController(ctx, opts);
}

export const jobController: ControllerFactory = newJobController();
