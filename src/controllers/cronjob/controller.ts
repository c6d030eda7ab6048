// The CronJob controller: starts Jobs on a cron schedule (in a time zone),
// with the concurrency policies, starting deadlines, suspension and history
// limits; time comes from the context's clock so tests can drive it.
import { deepEqualJSON, type KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { OWNER_UID_INDEX, objectKey } from '../../client/store.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { BatchJob } from '../job/types.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { newEventRecorder, type EventRecorder } from '../events.js';
import { controllerKey } from '../workloads-shared/owner.js';
import { runController } from '../workloads-shared/run-controller.js';
import { rfc3339 } from '../workloads-shared/pod-state.js';
import { newJobForCronJob } from './job-template.js';
import { planCronJob } from './plan.js';
import type { CronJob } from './types.js';

class CronJobController implements Controller {
  readonly name = 'cronjob';
  private readonly queue: RateLimitingQueue<string>;
  private readonly cronjobs;
  private readonly jobs;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.cronjobs = ctx.informers.informer<CronJob>(RESOURCES.cronjobs);
    this.jobs = ctx.informers.informer<BatchJob>(RESOURCES.jobs);
    this.recorder = newEventRecorder(ctx.client, 'cronjob-controller', () => ctx.clock.now());
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    const enqueueOwner = (o: KubeObject) => {
      const key = controllerKey(o, 'CronJob');
      if (key) this.queue.add(key);
    };
    const handlers = [
      this.cronjobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) }),
      this.jobs.addEventHandler({ onAdd: enqueueOwner, onUpdate: (_o, n) => enqueueOwner(n), onDelete: (o) => enqueueOwner(deletedObject(o)) }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of handlers) h.remove();
    }
  }

  async reconcile(key: string): Promise<void> {
    const cj = this.cronjobs.store.get(key);
    if (!cj) return;
    const uid = cj.metadata.uid ?? '';
    const jobs = this.jobs.store.byIndex(OWNER_UID_INDEX, uid).filter((j) => j.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid));
    const nowMs = this.ctx.clock.now();
    const plan = planCronJob(cj, jobs, nowMs);
    for (const e of plan.events) this.recorder.event(cj, e.type, e.reason, e.message);

    for (const j of plan.replace) await this.deleteJob(cj, j);
    const status = { ...plan.status };
    if (plan.start) {
      const job = newJobForCronJob(cj, plan.start.name, plan.start.scheduledMs, plan.start.timeZone);
      let created: BatchJob | undefined;
      try {
        created = await this.jobClient().create(cj.metadata.namespace, job);
        this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
      } catch (err) {
        if (!isAlreadyExists(err)) {
          this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
          throw err;
        }
        created = await this.jobClient().get(cj.metadata.namespace, plan.start.name);
      }
      const active = (status.active ?? []).filter((r) => r.uid !== created.metadata.uid && !plan.replace.some((j) => j.metadata.uid === r.uid));
      active.push({ apiVersion: 'batch/v1', kind: 'Job', name: created.metadata.name, namespace: created.metadata.namespace, uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion });
      status.active = active;
      status.lastScheduleTime = rfc3339(plan.start.scheduledMs);
    }
    if (!deepEqualJSON(cj.status ?? {}, status)) await this.ctx.client.cronjobs.updateStatus({ ...cj, status });
    for (const j of plan.prune) await this.deleteJob(cj, j);
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private jobClient() {
    return this.ctx.client.resource<BatchJob>(RESOURCES.jobs);
  }

  private async deleteJob(cj: CronJob, job: BatchJob): Promise<void> {
    try {
      await this.ctx.client.jobs.delete(job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Background' });
      this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const cronJobController: ControllerFactory = (ctx) => new CronJobController(ctx);
