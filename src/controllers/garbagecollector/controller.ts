// The garbage collector: objects whose owners are all gone are deleted
// (Background); an owner deleted in the Foreground waits, holding the
// foregroundDeletion finalizer, until its blocking dependents are gone; an
// owner deleted with Orphan has its dependents' references to it removed.
// The ownership graph is the informers' stores: a uid index finds objects,
// the owner-uid index finds dependents.
import { deepEqualJSON, type KubeObject, type OwnerReference } from '../../api/meta.js';
import { runWorkers } from '../../client/controller.js';
import { isNotFound } from '../../client/errors.js';
import { deletedObject, type SharedInformer } from '../../client/informer.js';
import { RESOURCES, resourceKey, type ResourceDescriptor } from '../../client/resources.js';
import { OWNER_UID_INDEX, objectKey } from '../../client/store.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import {
  FOREGROUND_FINALIZER, ORPHAN_FINALIZER, blocksOwner, classify, deletePolicyFor, hasFinalizer, isDeletingDependents, removeFinalizerPatch, removeOwnersPatch, type OwnerState,
} from './references.js';
import { ResourceMapper } from './resource-mapper.js';

/** The resources whose objects can have owners and be owners, watched by default. */
export const GC_RESOURCES: readonly ResourceDescriptor[] = [
  RESOURCES.pods, RESOURCES.replicasets, RESOURCES.deployments, RESOURCES.statefulsets, RESOURCES.daemonsets,
  RESOURCES.jobs, RESOURCES.cronjobs, RESOURCES.controllerrevisions, RESOURCES.endpointslices, RESOURCES.endpoints,
  RESOURCES.services, RESOURCES.configmaps, RESOURCES.secrets, RESOURCES.persistentvolumeclaims, RESOURCES.persistentvolumes,
  RESOURCES.serviceaccounts, RESOURCES.replicationcontrollers, RESOURCES.poddisruptionbudgets, RESOURCES.horizontalpodautoscalers,
  RESOURCES.ingresses, RESOURCES.networkpolicies, RESOURCES.roles, RESOURCES.rolebindings, RESOURCES.leases,
  // Nodes own their kube-node-lease Leases: watched, so a Lease's owner is found in the cache and a deleted Node's Lease goes.
  RESOURCES.nodes,
];

const UID_INDEX = 'gc-uid';

interface Watched {
  r: ResourceDescriptor;
  informer: SharedInformer<KubeObject>;
}

// On every update of every object: a structural compare, not two JSON encodings.
const sameRefs = (a: KubeObject, b: KubeObject) => deepEqualJSON(a.metadata.ownerReferences ?? [], b.metadata.ownerReferences ?? []);
const gcFinalizing = (o: KubeObject) => Boolean(o.metadata.deletionTimestamp) && (hasFinalizer(o, FOREGROUND_FINALIZER) || hasFinalizer(o, ORPHAN_FINALIZER));

export interface GarbageCollectorOptions {
  /** More resources to watch (custom resources); the defaults are always watched. */
  extraResources?: ResourceDescriptor[];
}

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly queue = new RateLimitingQueue<string>();
  private readonly watched: Watched[];
  private readonly byKey = new Map<string, Watched>();
  private readonly mapper: ResourceMapper;

  constructor(private readonly ctx: ControllerContext, opts: GarbageCollectorOptions = {}) {
    this.mapper = new ResourceMapper(ctx.client.api);
    const all = [...GC_RESOURCES, ...(opts.extraResources ?? [])];
    this.watched = all.map((r) => {
      const informer = ctx.informers.informer<KubeObject>(r);
      if (!informer.store.hasIndexer(UID_INDEX)) informer.addIndexer(UID_INDEX, (o) => (o.metadata.uid ? [o.metadata.uid] : []));
      return { r, informer };
    });
    for (const w of this.watched) this.byKey.set(resourceKey(w.r), w);
  }

  async run(signal: AbortSignal): Promise<void> {
    const regs = this.watched.map((w) =>
      w.informer.addEventHandler({
        onAdd: (o) => {
          if (o.metadata.ownerReferences?.length || gcFinalizing(o)) this.enqueue(w, o);
        },
        onUpdate: (old, o) => {
          if (!sameRefs(old, o) || gcFinalizing(o)) this.enqueue(w, o);
          // A dependent that stopped blocking may let a foreground owner finish.
          if (!sameRefs(old, o)) for (const ref of old.metadata.ownerReferences ?? []) this.enqueueUid(ref.uid);
        },
        onDelete: (d) => this.onDeleted(deletedObject(d)),
      }),
    );
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.ctx.informers.start();
      await Promise.all(this.watched.map((w) => w.informer.waitForSync()));
      if (signal.aborted) return;
      await runWorkers(this.queue, this.ctx.options.workers ?? 5, (key) => this.sync(key), {
        onError: (key, err) => this.ctx.logger.warn('garbage collection failed', { key, err: String(err) }),
      });
    } finally {
      signal.removeEventListener('abort', stop);
      for (const r of regs) r.remove();
    }
  }

  private enqueue(w: Watched, o: KubeObject): void {
    this.queue.add(`${resourceKey(w.r)}#${objectKey(o)}`);
  }

  /** Every watched object with this uid (normally one). */
  private findUid(uid: string): { w: Watched; obj: KubeObject }[] {
    return this.watched.flatMap((w) => w.informer.store.byIndex(UID_INDEX, uid).map((obj) => ({ w, obj })));
  }

  private enqueueUid(uid: string): void {
    for (const { w, obj } of this.findUid(uid)) this.enqueue(w, obj);
  }

  private dependentsOf(uid: string): { w: Watched; obj: KubeObject }[] {
    return this.watched.flatMap((w) => w.informer.store.byIndex(OWNER_UID_INDEX, uid).map((obj) => ({ w, obj })));
  }

  /** A deleted object: its dependents may now be orphans, its owners may be waiting for it. */
  private onDeleted(o: KubeObject): void {
    for (const d of this.dependentsOf(o.metadata.uid ?? '')) this.enqueue(d.w, d.obj);
    for (const ref of o.metadata.ownerReferences ?? []) this.enqueueUid(ref.uid);
  }

  async sync(item: string): Promise<void> {
    const hash = item.indexOf('#');
    const w = this.byKey.get(item.slice(0, hash));
    const obj = w?.informer.store.get(item.slice(hash + 1));
    if (!w || !obj) return;
    if (obj.metadata.deletionTimestamp) {
      if (hasFinalizer(obj, ORPHAN_FINALIZER)) return this.orphanDependents(w, obj);
      if (hasFinalizer(obj, FOREGROUND_FINALIZER)) return this.processDeletingDependents(w, obj);
      return; // on its way out; its dependents are looked at when it is gone
    }
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = new Map<string, OwnerState>();
    for (const ref of refs) states.set(ref.uid, await this.ownerState(ref, obj));
    const { solid, dangling, waiting } = classify(refs, (ref) => states.get(ref.uid)!);
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      // Still owned: only drop the references to owners that are gone or going.
      return this.patch(w, obj, removeOwnersPatch(obj, new Set([...dangling, ...waiting].map((r) => r.uid))));
    }
    const policy = waiting.length && this.dependentsOf(obj.metadata.uid ?? '').length ? 'Foreground' : deletePolicyFor(obj);
    await this.deleteObject(w, obj, policy);
  }

  /** Whether the owner exists: the caches first, then the API server (types we do not watch, or not seen yet). */
  private async ownerState(ref: OwnerReference, dependent: KubeObject): Promise<OwnerState> {
    const ns = dependent.metadata.namespace;
    const cached = this.findUid(ref.uid).find(({ obj }) => !obj.metadata.namespace || obj.metadata.namespace === ns);
    if (cached) return isDeletingDependents(cached.obj) ? 'deletingDependents' : 'present';
    // An unknown kind throws (and the item is retried): never a reason to delete.
    const r = await this.mapper.resolve(ref.apiVersion, ref.kind);
    let owner: KubeObject;
    try {
      owner = await this.ctx.client.resource(r).get(r.namespaced ? ns : undefined, ref.name);
    } catch (err) {
      if (isNotFound(err)) return 'absent';
      throw err;
    }
    if (owner.metadata.uid !== ref.uid) return 'absent';
    return isDeletingDependents(owner) ? 'deletingDependents' : 'present';
  }

  /** Foreground: delete the dependents; once none blocks any more, drop the finalizer. */
  private async processDeletingDependents(w: Watched, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    const deps = this.dependentsOf(uid);
    const blocking = deps.filter((d) => blocksOwner(d.obj, uid));
    if (blocking.length === 0) return this.patch(w, owner, removeFinalizerPatch(owner, FOREGROUND_FINALIZER));
    for (const d of deps) if (!isDeletingDependents(d.obj)) this.enqueue(d.w, d.obj);
  }

  /** Orphan: remove the references to this owner from every dependent, then the finalizer. */
  private async orphanDependents(w: Watched, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    for (const d of this.dependentsOf(uid)) await this.patch(d.w, d.obj, removeOwnersPatch(d.obj, new Set([uid])));
    await this.patch(w, owner, removeFinalizerPatch(owner, ORPHAN_FINALIZER));
  }

  private async patch(w: Watched, obj: KubeObject, body: unknown): Promise<void> {
    try {
      await this.ctx.client.resource(w.r).patch(obj.metadata.namespace, obj.metadata.name ?? '', body, 'merge');
    } catch (err) {
      // Gone: nothing to do. A conflict is retried with the newer version.
      if (!isNotFound(err)) throw err;
    }
  }

  private async deleteObject(w: Watched, obj: KubeObject, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    try {
      await this.ctx.client.resource(w.r).delete(obj.metadata.namespace, obj.metadata.name ?? '', {
        propagationPolicy: policy,
        preconditions: { uid: obj.metadata.uid },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const garbageCollectorController: ControllerFactory = (ctx) => new GarbageCollector(ctx);

