// The namespace controller: a namespace being deleted has all its content
// deleted (every namespaced resource discovery lists), reports progress in
// its conditions, and once empty gives up its "kubernetes" finalizer through
// namespaces/finalize, upon which the API server deletes it.
import type { KubeObject } from '../../api/meta.js';
import { runWorkers } from '../../client/controller.js';
import { ApiStatusError, isNotFound } from '../../client/errors.js';
import type { SharedInformer } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import type { Condition } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { mergeConditions, namespaceConditions, type DeletionProgress } from './conditions.js';
import { discoverNamespacedResources, type DiscoveredResource } from './discovery.js';

export const KUBERNETES_FINALIZER = 'kubernetes';

/** Upstream waits this long before looking again at content held by finalizers. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Condition[] };
}

export interface NamespaceControllerOptions {
  /** How soon to look again while content remains (default 15 s, as upstream). */
  remainingRequeueMs?: number;
}

const notSupported = (err: unknown) => isNotFound(err) || (err instanceof ApiStatusError && (err.code === 405 || err.reason === 'MethodNotAllowed'));

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly queue = new RateLimitingQueue<string>();
  private readonly informer: SharedInformer<Namespace>;
  private readonly requeueMs: number;

  constructor(private readonly ctx: ControllerContext, opts: NamespaceControllerOptions = {}) {
    this.informer = ctx.informers.informer<Namespace>(RESOURCES.namespaces);
    this.requeueMs = opts.remainingRequeueMs ?? FINALIZER_ESTIMATE_SECONDS * 1000;
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (ns: Namespace) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    const reg = this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, ns) => enqueue(ns) });
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.ctx.informers.start();
      await this.informer.waitForSync();
      if (signal.aborted) return;
      await runWorkers(this.queue, this.ctx.options.workers ?? 5, (key) => this.sync(key), {
        onError: (key, err) => this.ctx.logger.warn('namespace deletion failed', { key, err: String(err) }),
      });
    } finally {
      signal.removeEventListener('abort', stop);
      reg.remove();
    }
  }

  async sync(name: string): Promise<void> {
    const ns = this.informer.store.get(name);
    if (!ns?.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;
    const progress: DeletionProgress = { discoveryFailures: [], deleteFailures: [], remaining: new Map(), finalizers: new Map() };
    const { resources, failures } = await discoverNamespacedResources(this.ctx.client.api);
    for (const [gv, msg] of failures) progress.discoveryFailures.push(`${gv}: ${msg}`);
    let graceSeconds = 0;
    await Promise.all(
      resources.map(async (r) => {
        try {
          const left = await this.deleteAll(name, r);
          if (left.length === 0) return;
          progress.remaining.set(`${r.resource}.${r.group}`, left.length);
          for (const o of left) {
            for (const f of o.metadata.finalizers ?? []) progress.finalizers.set(f, (progress.finalizers.get(f) ?? 0) + 1);
            graceSeconds = Math.max(graceSeconds, o.metadata.deletionGracePeriodSeconds ?? 0);
          }
        } catch (err) {
          progress.deleteFailures.push(`${r.resource}.${r.group}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
    await this.updateConditions(ns, progress);
    if (progress.deleteFailures.length || progress.discoveryFailures.length) {
      throw new Error(`namespace ${name}: ${[...progress.discoveryFailures, ...progress.deleteFailures].join('; ')}`);
    }
    if (progress.remaining.size) {
      // Pods going away gracefully: look again when their grace period is over; finalizers: later.
      const ms = progress.finalizers.size ? this.requeueMs : Math.max(1000, Math.min(this.requeueMs, graceSeconds * 1000));
      this.queue.addAfter(name, ms);
      return;
    }
    await this.finalize(ns);
  }

  /** Deletes every object of one resource in the namespace; returns what is still there. */
  private async deleteAll(ns: string, r: DiscoveredResource): Promise<KubeObject[]> {
    const client = this.ctx.client.resource(r);
    if (!r.verbs.includes('list')) return [];
    try {
      if (r.verbs.includes('deletecollection')) {
        await client.deleteCollection(ns, { propagationPolicy: 'Background' });
      } else {
        const { items } = await client.listAll(ns);
        await Promise.all(items.filter((o) => !o.metadata.deletionTimestamp).map((o) => client.delete(ns, o.metadata.name ?? '', { propagationPolicy: 'Background' }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        })));
      }
      return (await client.listAll(ns)).items;
    } catch (err) {
      if (notSupported(err)) return [];
      throw err;
    }
  }

  private async updateConditions(ns: Namespace, progress: DeletionProgress): Promise<void> {
    const conditions = mergeConditions(ns.status?.conditions, namespaceConditions(progress), this.ctx.clock.now());
    if (JSON.stringify(conditions) === JSON.stringify(ns.status?.conditions ?? []) && ns.status?.phase === 'Terminating') return;
    try {
      await this.ctx.client.namespaces.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating', conditions } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Removes our finalizer; with none left the server deletes the namespace. */
  private async finalize(ns: Namespace): Promise<void> {
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    try {
      await this.ctx.client.api.request({
        method: 'PUT',
        path: `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name ?? '')}/finalize`,
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.metadata.name }, spec: { finalizers } },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const namespaceController: ControllerFactory = (ctx) => new NamespaceController(ctx);

/** A namespace controller with tunables (tests shorten the requeue delay). */
export const namespaceControllerWith = (opts: NamespaceControllerOptions): ControllerFactory => (ctx) => new NamespaceController(ctx, opts);
