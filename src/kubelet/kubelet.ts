// The kubelet's pod lifecycle: pods come from the API (list-watch of this
// node's pods) and from static manifests; one sync at a time per pod UID,
// again every resync interval, on runtime changes (PLEG relist) and on probe
// result changes; pods the runtime holds that no source knows are removed.
import type { Pod, PodStatus } from '../api/core-v1.js';
import { deepCopyJSON, deepEqualJSON } from '../api/meta.js';
import { rfc3339 } from '../api/time.js';
import type { KubeClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import { SharedInformer, deletedObject } from '../client/informer.js';
import { listWatchFor } from '../client/list-watch.js';
import { RESOURCES } from '../client/resources.js';
import { RateLimitingQueue } from '../client/work-queue.js';
import type { ImageService, RuntimeService } from '../cri/types.js';
import { realClock, type Clock } from '../util/clock.js';
import { silentLogger, type Logger } from '../util/log.js';
import { Backoff } from './backoff.js';
import { ImageManager } from './images/image-manager.js';
import type { SecretLike } from './images/pull-secrets.js';
import { Pleg } from './pleg.js';
import { PodSyncer, type SyncResult } from './pod-sync.js';
import type { ProbeNet } from './prober/handlers.js';
import { ProbeManager } from './prober/probe-manager.js';
import { readRuntimePod } from './runtime-pod.js';
import { CRI_LABELS, type RuntimeConfigBuilder, type VolumeManager } from './seams.js';
import { isMirrorPod, MIRROR_ANNOTATION, mirrorPodFor, StaticPodSource } from './static-pods.js';
import { StatusManager } from './status/status-manager.js';

export interface KubeletOptions {
  client: KubeClient;
  nodeName: string;
  runtime: RuntimeService;
  images: ImageService;
  volumes: VolumeManager;
  config: RuntimeConfigBuilder;
  /** The node's IPs (status.hostIP/hostIPs; podIP of hostNetwork pods). */
  hostIPs: string[];
  clock?: Clock;
  log?: Logger;
  /** Directory of static pod manifests (DIR/manifests); none when unset. */
  staticPodDir?: string;
  /** Scheme of containerIDs in statuses. */
  runtimeName?: string;
  resyncIntervalMs?: number;
  relistIntervalMs?: number;
  /**
   * Pods synced at the same time (each pod still one sync at a time); 32 by
   * default. Upstream gives every pod its own worker: a sync can wait out a
   * grace period, a hook or a pull, and must not hold up the other pods.
   */
  workers?: number;
  /** How probes and hooks dial pods (directly by default: the agent runs in the node's network namespace). */
  net?: ProbeNet;
  /** Container restart back-off (upstream: 10 s doubling to 5 min). */
  crashBackoff?: { initialMs: number; maxMs: number };
}

const HOUSEKEEPING_MS = 30_000;
const DEFAULT_WORKERS = 32;

interface PodEntry {
  pod: Pod;
  source: 'api' | 'file';
  /** A static pod whose manifest went away: terminate it and its mirror. */
  removed?: boolean;
}

export class Kubelet {
  readonly syncer: PodSyncer;
  readonly probes: ProbeManager;
  readonly statusManager: StatusManager;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly queue: RateLimitingQueue<string>;
  private readonly pods = new Map<string, PodEntry>();
  /** UIDs whose termination finished (waiting for the informer to drop them). */
  private readonly finished = new Set<string>();
  private informer: SharedInformer<Pod> | undefined;
  private pleg: Pleg | undefined;
  private staticSource: StaticPodSource | undefined;
  private workersDone: Promise<unknown> = Promise.resolve();
  private readonly resyncMs: number;
  private readonly syncs = new Map<string, number>();
  /** Pods still owed their first sync since start (undefined once all had it). */
  private initialPending: Set<string> | undefined;
  private housekeepingTimer: unknown;

  constructor(private readonly o: KubeletOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? silentLogger;
    this.resyncMs = o.resyncIntervalMs ?? 10_000;
    this.queue = new RateLimitingQueue<string>({ clock: this.clock });
    this.statusManager = new StatusManager(o.client, this.log);
    this.probes = new ProbeManager({ runtime: o.runtime, clock: this.clock, log: this.log, onChange: (uid) => this.queue.add(uid), net: o.net });
    const getSecret = async (ns: string, name: string) => (await o.client.secrets.get(ns, name)) as unknown as SecretLike;
    this.syncer = new PodSyncer({
      runtime: o.runtime,
      images: new ImageManager(o.images, getSecret, this.clock),
      volumes: o.volumes,
      config: o.config,
      probes: this.probes,
      status: this.statusManager,
      clock: this.clock,
      log: this.log,
      hostIPs: o.hostIPs,
      runtimeName: o.runtimeName,
      net: o.net,
      backoff: new Backoff(this.clock, o.crashBackoff?.initialMs, o.crashBackoff?.maxMs),
      event: (pod, type, reason, message) => this.recordEvent(pod, type, reason, message),
    });
  }

  async start(): Promise<void> {
    const { client, nodeName } = this.o;
    this.informer = new SharedInformer<Pod>(listWatchFor(client.resource<Pod>(RESOURCES.pods), undefined, { fieldSelector: `spec.nodeName=${nodeName}` }), { onError: (err) => this.log.warn('pod watch failed', { err }) });
    this.informer.addEventHandler({
      onAdd: (p) => this.onApiPod(p),
      // The echo of our own status write refreshes the stored object but does
      // not sync the pod again (a waiting reason such as ErrImagePull stays
      // until the next sync is due); a status someone else changed (the node
      // lifecycle controller marking pods not ready) is synced and rewritten.
      onUpdate: (o, p) => this.onApiPod(p, !(onlyStatusChanged(o, p) && this.statusManager.isOwnWrite(p.metadata.uid!, p.status))),
      onDelete: (d) => {
        const p = deletedObject(d);
        if (isMirrorPod(p)) {
          this.queue.add(p.metadata.annotations![MIRROR_ANNOTATION]!);
          return;
        }
        const uid = p.metadata.uid!;
        if (this.pods.get(uid)?.source === 'api') this.pods.delete(uid);
        this.queue.add(uid);
      },
    });
    this.informer.run();
    await this.informer.waitForSync();
    if (this.o.staticPodDir) {
      this.staticSource = new StaticPodSource(this.o.staticPodDir, nodeName, this.clock, this.log, (pods) => this.onStaticPods(pods));
      this.staticSource.start();
    }
    // Every pod known now (from the API, the manifests and the runtime) gets one
    // sync before the agent calls itself caught up, e.g. after a restart.
    const inRuntime = await this.o.runtime.listPodSandbox({ label_selector: { [CRI_LABELS.managedBy]: 'true' } }).catch(() => []);
    this.initialPending = new Set([...this.pods.keys(), ...inRuntime.map((s) => s.metadata.uid)]);
    for (const uid of this.initialPending) this.queue.add(uid);
    this.noteInitialSync(undefined);
    // Only now: before both sources are loaded every runtime pod would look orphaned.
    this.pleg = new Pleg(this.o.runtime, this.clock, (uid) => this.queue.add(uid), this.log, this.o.relistIntervalMs ?? 1000);
    this.pleg.start();
    this.scheduleHousekeeping(0);
    const n = this.o.workers ?? DEFAULT_WORKERS;
    this.workersDone = Promise.all(Array.from({ length: n }, () => this.worker()));
    this.log.info('kubelet started', { node: nodeName });
  }

  async stop(): Promise<void> {
    this.clock.clearTimeout(this.housekeepingTimer);
    this.queue.shutDown();
    this.staticSource?.stop();
    await this.pleg?.stop();
    await this.informer?.stop();
    this.probes.stop();
    await this.workersDone;
  }

  /** How many syncs of this pod UID finished (for tests and diagnostics). */
  syncCount(uid: string): number {
    return this.syncs.get(uid) ?? 0;
  }

  /** The pods this agent runs (API pods and static pods), for the kubelet API. */
  runningPods(): Pod[] {
    return [...this.pods.values()].filter((e) => !e.removed).map((e) => e.pod);
  }

  /**
   * Pod directories on the node whose pod no source knows and the runtime no
   * longer holds (the agent was down when it went): their UIDs go through the
   * queue, where the orphan path tears them down.
   */
  private scheduleHousekeeping(ms: number): void {
    if (this.queue.isShuttingDown()) return;
    this.housekeepingTimer = this.clock.setTimeout(() => {
      void this.housekeeping().finally(() => this.scheduleHousekeeping(HOUSEKEEPING_MS));
    }, ms);
  }

  private async housekeeping(): Promise<void> {
    try {
      for (const uid of await this.o.volumes.listPodDirs()) if (!this.pods.has(uid)) this.queue.add(uid);
    } catch (err) {
      this.log.warn('housekeeping failed', { err });
    }
  }

  private onApiPod(p: Pod, sync = true): void {
    if (isMirrorPod(p)) {
      if (sync) this.queue.add(p.metadata.annotations![MIRROR_ANNOTATION]!);
      return;
    }
    const uid = p.metadata.uid!;
    this.pods.set(uid, { pod: p, source: 'api' });
    if (sync) this.queue.add(uid);
  }

  private onStaticPods(list: Pod[]): void {
    const now = new Set(list.map((p) => p.metadata.uid!));
    for (const [uid, e] of this.pods) {
      if (e.source === 'file' && !now.has(uid)) {
        e.removed = true;
        this.queue.add(uid);
      }
    }
    for (const p of list) {
      const uid = p.metadata.uid!;
      if (!this.pods.has(uid)) {
        this.pods.set(uid, { pod: p, source: 'file' });
        this.queue.add(uid);
      }
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      const uid = await this.queue.get();
      if (uid === undefined) return;
      try {
        const again = await this.syncUid(uid);
        if (this.pods.has(uid)) this.syncs.set(uid, (this.syncs.get(uid) ?? 0) + 1);
        this.noteInitialSync(uid);
        if (again !== undefined && !this.queue.isShuttingDown()) this.queue.addAfter(uid, again);
      } catch (err) {
        this.log.warn('pod sync failed', { pod: uid, err });
        if (!this.queue.isShuttingDown()) this.queue.addAfter(uid, 2000);
      } finally {
        this.queue.done(uid);
      }
    }
  }

  private noteInitialSync(uid: string | undefined): void {
    if (!this.initialPending) return;
    if (uid !== undefined) this.initialPending.delete(uid);
    if (this.initialPending.size) return;
    this.initialPending = undefined;
    this.log.info('initial pod sync done', { pods: this.pods.size });
  }

  /** One sync of a pod UID; returns when to sync it again (undefined: never). */
  private async syncUid(uid: string): Promise<number | undefined> {
    const entry = this.pods.get(uid);
    if (!entry) {
      this.finished.delete(uid);
      this.syncs.delete(uid);
      await this.syncer.cleanupOrphan(uid);
      this.statusManager.forget(uid);
      return undefined;
    }
    if (entry.source === 'file') return this.syncStatic(uid, entry);
    if (this.finished.has(uid)) return undefined;
    // Sync from the status this agent last wrote when the watch has not caught up yet.
    const pod = withStatus(entry.pod, this.statusManager.lastWritten(uid));
    const r = await this.syncer.sync(pod);
    if (r.runtime) this.pleg?.observe(uid, r.runtime);
    if (r.finished) {
      this.finished.add(uid);
      return undefined;
    }
    if (r.status) await this.statusManager.setStatus(entry.pod, r.status);
    return nextSync(r, this.resyncMs);
  }

  private async syncStatic(uid: string, entry: PodEntry): Promise<number | undefined> {
    const mirror = this.informer?.store.getByName(entry.pod.metadata.namespace, entry.pod.metadata.name!);
    if (entry.removed) {
      await this.syncer.terminate(entry.pod, await readRuntimePod(this.o.runtime, uid), { deleteObject: false });
      if (mirror && mirror.metadata.annotations?.[MIRROR_ANNOTATION] === uid) await this.deleteMirror(mirror);
      this.pods.delete(uid);
      return undefined;
    }
    const r = await this.syncer.sync(entry.pod);
    if (r.status) entry.pod = { ...entry.pod, status: r.status };
    const m = await this.ensureMirror(entry.pod, mirror);
    if (m && r.status) await this.statusManager.setStatus(m, r.status);
    return nextSync(r, this.resyncMs);
  }

  /** The static pod's mirror in the API: created when missing, replaced when stale or being deleted. */
  private async ensureMirror(pod: Pod, mirror: Pod | undefined): Promise<Pod | undefined> {
    if (mirror && (mirror.metadata.deletionTimestamp || mirror.metadata.annotations?.[MIRROR_ANNOTATION] !== pod.metadata.uid)) {
      await this.deleteMirror(mirror);
      mirror = undefined;
    }
    if (mirror) return mirror;
    let nodeUid: string | undefined;
    try {
      nodeUid = (await this.o.client.nodes.get(undefined, this.o.nodeName)).metadata.uid;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      const created = await this.o.client.resource<Pod>(RESOURCES.pods).create(pod.metadata.namespace, mirrorPodFor(pod, { name: this.o.nodeName, uid: nodeUid }));
      this.log.info('mirror pod created', { pod: `${created.metadata.namespace}/${created.metadata.name}` });
      return created;
    } catch (err) {
      if (isAlreadyExists(err)) return undefined; // the old one is still going away; next sync
      throw err;
    }
  }

  private async deleteMirror(mirror: Pod): Promise<void> {
    await this.statusManager.deletePod(mirror);
  }

  private recordEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = rfc3339(this.clock.now());
    const ns = pod.metadata.namespace ?? 'default';
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid },
      reason,
      message,
      type,
      source: { component: 'kubelet', host: this.o.nodeName },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    this.o.client.events.create(ns, ev).catch(() => undefined);
  }
}

function withStatus(pod: Pod, status: PodStatus | undefined): Pod {
  if (!status) return pod;
  const copy = deepCopyJSON(pod);
  copy.status = status;
  return copy;
}

function nextSync(r: SyncResult, resyncMs: number): number {
  return Math.min(r.resyncAfterMs ?? resyncMs, resyncMs);
}

/** True when two versions of a pod differ in status (and bookkeeping metadata) only. */
export function onlyStatusChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => ({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, managedFields: undefined } });
  return deepEqualJSON(strip(a), strip(b));
}
