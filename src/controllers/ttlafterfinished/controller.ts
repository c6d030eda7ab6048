// The TTL-after-finished controller: deletes finished Jobs (and, through
// foreground deletion, their pods) once ttlSecondsAfterFinished has passed.
import type { KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { RESOURCES } from '../../client/resources.js';
import { objectKey } from '../../client/store.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { BatchJob } from '../job/types.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { runController } from '../workloads-shared/run-controller.js';
import { timeLeftMs } from './expiry.js';

class TTLAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';
  private readonly queue: RateLimitingQueue<string>;
  private readonly jobs;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.jobs = ctx.informers.informer<BatchJob>(RESOURCES.jobs);
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (o: KubeObject) => {
      if ((o as BatchJob).spec?.ttlSecondsAfterFinished != null) this.queue.add(objectKey(o));
    };
    const h = this.jobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) });
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      h.remove();
    }
  }

  async reconcile(key: string): Promise<void> {
    const job = this.jobs.store.get(key);
    if (!job) return;
    const left = timeLeftMs(job, this.ctx.clock.now());
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    // Re-read: the TTL may have been changed or the job restarted since the cache saw it.
    const fresh = (await this.ctx.client.jobs.get(job.metadata.namespace, job.metadata.name ?? '').catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    })) as BatchJob | undefined;
    if (!fresh) return;
    const freshLeft = timeLeftMs(fresh, this.ctx.clock.now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.queue.addAfter(key, freshLeft);
      return;
    }
    try {
      await this.ctx.client.jobs.delete(fresh.metadata.namespace, fresh.metadata.name ?? '', { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const ttlAfterFinishedController: ControllerFactory = (ctx) => new TTLAfterFinishedController(ctx);
