// The simulated kubelets' pod side: one pods informer for the whole fleet
// (indexed by node), a work queue and a few workers. Each reconcile finds the
// first stage that applies to the pod, waits out its delay (by requeueing,
// never by sleeping), and writes the status the stage describes; the write
// comes back through the informer and the next stage takes over.
import { deepEqualJSON } from '../api/meta.js';
import type { KubeClient } from '../client/client.js';
import { runWorkers } from '../client/controller.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { deletedObject, type HandlerRegistration, type SharedInformer } from '../client/informer.js';
import { objectKey } from '../client/store.js';
import type { Pod } from '../client/types.js';
import { RateLimitingQueue } from '../client/work-queue.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { FIELD_MANAGER } from './node-fleet.js';
import { PodIpAllocator } from './pod-cidr.js';
import { stageDelayMs } from './stages/delay.js';
import { matchStage, type CompiledStage } from './stages/match.js';
import { renderPodStatus } from './stages/render.js';

export const NODE_NAME_INDEX = 'sim.kubets.io/node-name';

export const nodeNameIndexFunc = (p: Pod): string[] => (p.spec?.nodeName ? [p.spec.nodeName] : []);

/** What the driver needs to know about a node it may be simulating. */
export interface SimNodeView {
  hostIP: string;
  podCidr: string;
  heartbeatStopped: boolean;
}

export interface PodDriverOptions {
  client: KubeClient;
  informer: SharedInformer<Pod>;
  stages: CompiledStage[];
  clock: Clock;
  logger: Logger;
  workers: number;
  random: () => number;
  /** undefined: not one of ours. */
  node(name: string): SimNodeView | undefined;
}

function restartCount(pod: Pod): number {
  const statuses = (pod.status?.containerStatuses ?? []) as { restartCount?: number }[];
  return statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

export class PodDriver {
  private readonly queue: RateLimitingQueue<string>;
  /** Per pod: the stage it is waiting in (by uid and stage name) and when it is due. */
  private readonly waiting = new Map<string, { token: string; dueAt: number }>();
  private readonly allocators = new Map<string, PodIpAllocator>();
  private registration: HandlerRegistration | undefined;
  private workersDone: Promise<void> = Promise.resolve();
  readonly counters = { transitions: 0, deletes: 0, conflicts: 0, errors: 0 };

  constructor(private readonly o: PodDriverOptions) {
    this.queue = new RateLimitingQueue<string>({ clock: o.clock });
    if (!o.informer.store.hasIndexer(NODE_NAME_INDEX)) o.informer.addIndexer(NODE_NAME_INDEX, nodeNameIndexFunc);
  }

  start(): void {
    const enqueue = (p: Pod) => {
      const node = p.spec?.nodeName;
      if (node && this.o.node(node)) this.queue.add(objectKey(p));
    };
    this.registration = this.o.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, p) => enqueue(p),
      onDelete: (d) => {
        const p = deletedObject(d);
        this.waiting.delete(objectKey(p));
        const node = p.spec?.nodeName;
        if (node && p.metadata.uid) this.allocators.get(node)?.release(p.metadata.uid);
      },
    });
    this.workersDone = runWorkers(this.queue, this.o.workers, (key) => this.reconcile(key), {
      onError: (key, err) => {
        this.counters.errors++;
        this.o.logger.debug('pod transition failed', { pod: key, err: err instanceof Error ? err.message : String(err) });
      },
    });
  }

  /** Re-examines every pod on a node (after its heartbeat resumes, or it was added). */
  enqueueNode(name: string): void {
    for (const key of this.o.informer.store.indexKeys(NODE_NAME_INDEX, name)) this.queue.add(key);
  }

  /** Pods bound to a node, from the informer's cache. */
  podsOn(name: string): Pod[] {
    return this.o.informer.store.byIndex(NODE_NAME_INDEX, name);
  }

  async stop(): Promise<void> {
    this.registration?.remove();
    this.queue.shutDown();
    await this.workersDone;
  }

  private allocator(node: string, cidr: string): PodIpAllocator {
    let a = this.allocators.get(node);
    if (!a || a.cidrText !== cidr) this.allocators.set(node, (a = new PodIpAllocator(cidr)));
    return a;
  }

  private async reconcile(key: string): Promise<void> {
    const pod = this.o.informer.store.get(key);
    const nodeName = pod?.spec?.nodeName;
    const node = nodeName ? this.o.node(nodeName) : undefined;
    if (!pod || !nodeName || !node) {
      this.waiting.delete(key);
      return;
    }
    // A node with no heartbeat is a dead kubelet: its pods stay as they are.
    if (node.heartbeatStopped) return;
    const uid = pod.metadata.uid ?? '';
    const ips = this.allocator(nodeName, node.podCidr);
    const phase = pod.status?.phase;
    // A finished pod's sandbox is gone, so its IP is free again (the status keeps it, as upstream).
    if (phase === 'Succeeded' || phase === 'Failed') ips.release(uid);
    else if (pod.status?.podIP && pod.spec?.hostNetwork !== true) ips.reserve(uid, pod.status.podIP);

    const match = matchStage(pod, this.o.stages);
    if (!match) {
      this.waiting.delete(key);
      return;
    }
    const { stage } = match;
    // A restart begins the stage anew (a crash-looping container waits its delay each time).
    const token = `${uid}/${stage.name}/${restartCount(pod)}`;
    const now = this.o.clock.now();
    let wait = this.waiting.get(key);
    if (!wait || wait.token !== token) {
      wait = { token, dueAt: now + stageDelayMs(pod, stage.delay, this.o.random) };
      this.waiting.set(key, wait);
    }
    if (now < wait.dueAt) {
      this.queue.addAfter(key, wait.dueAt - now);
      return;
    }

    const status = renderPodStatus(pod, stage.next, { now, hostIP: node.hostIP, allocatePodIP: () => ips.allocate(uid) });
    try {
      if (!deepEqualJSON(status, pod.status ?? {})) {
        // Conditional on the cached resourceVersion: a stale view must not overwrite newer status.
        await this.o.client.pods.writeStatus({ ...pod, status }, { fieldManager: FIELD_MANAGER });
        this.counters.transitions++;
      }
      if (stage.next.delete) {
        await this.o.client.pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid } });
        this.counters.deletes++;
      }
    } catch (err) {
      if (isNotFound(err)) return; // gone already: the informer will tell us
      if (isConflict(err)) {
        // A newer version is on its way through the informer, which will requeue the pod.
        this.counters.conflicts++;
        return;
      }
      throw err;
    }
    this.waiting.delete(key);
  }
}
