// One pod's sync, as upstream's kuberuntime does it: make the sandbox exist,
// run init containers in order, then the regular ones, restart exited ones by
// the restart policy with back-off, replace containers whose spec changed or
// whose liveness/startup probe failed, and report the status. Also the
// termination of a pod (preStop, graceful stop, sandbox, volumes, API delete)
// and the clean-up of runtime pods no source knows.
import type { Container, LifecycleHandler, Pod, PodStatus } from '../api/core-v1.js';
import { rfc3339 } from '../api/time.js';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from '../cri/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { Backoff } from './backoff.js';
import { containerHash } from './container-hash.js';
import { ImagePullError, type ImageManager } from './images/image-manager.js';
import { runHook } from './lifecycle.js';
import type { ProbeNet } from './prober/handlers.js';
import type { ProbeManager } from './prober/probe-manager.js';
import { containersOf, latestContainer, readRuntimePod, readRuntimeSandbox, type RuntimeContainer, type RuntimePod } from './runtime-pod.js';
import { CRI_ANNOTATIONS, CRI_LABELS, type RuntimeConfigBuilder, type VolumeManager, type VolumePaths } from './seams.js';
import { computePodStatus, waitingKey, type Waiting } from './status/compute.js';
import type { StatusManager } from './status/status-manager.js';
import { readTerminationMessage } from './termination-message.js';

export interface PodSyncDeps {
  runtime: RuntimeService;
  images: ImageManager;
  volumes: VolumeManager;
  config: RuntimeConfigBuilder;
  probes: ProbeManager;
  status: StatusManager;
  clock: Clock;
  log: Logger;
  hostIPs: string[];
  runtimeName?: string;
  /** Container restart back-off (10 s doubling to 5 min by default). */
  backoff?: Backoff;
  /** How httpGet/tcpSocket hooks dial (directly by default). */
  net?: ProbeNet;
  /** Records a pod Event (best effort). */
  event?: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

/** How long after a container's exit its status is looked at again (see recentExitResync). */
const RECENT_EXIT_MS = 3000;

export interface SyncResult {
  /** Sync again within this many ms (a back-off or deadline ends then). */
  resyncAfterMs?: number;
  /** The pod is gone from the node and its object was removed or is not ours. */
  finished?: boolean;
  status?: PodStatus;
  /** The pod's runtime objects as this sync last read them. */
  runtime?: RuntimePod;
}

const DEFAULT_GRACE = 30;
const MIN_STOP_GRACE = 2;

export const isTerminalPhase = (p: PodStatus['phase']) => p === 'Succeeded' || p === 'Failed';

/** Grace period for pods found in the runtime that no source knows any more. */
const ORPHAN_GRACE_SECONDS = 1;

export class PodSyncer {
  readonly backoff: Backoff;
  /** Errors of the last sync per pod, shown as waiting reasons. */
  private readonly waiting = new Map<string, Map<string, Waiting>>();
  private readonly sandboxConfigs = new Map<string, { id: string; config: PodSandboxConfig }>();

  constructor(private readonly d: PodSyncDeps) {
    this.backoff = d.backoff ?? new Backoff(d.clock);
  }

  private podGrace(pod: Pod): number {
    return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE;
  }

  private labels(pod: Pod): Record<string, string> {
    return { [CRI_LABELS.podName]: pod.metadata.name!, [CRI_LABELS.podNamespace]: pod.metadata.namespace ?? 'default', [CRI_LABELS.podUid]: pod.metadata.uid!, [CRI_LABELS.managedBy]: 'true' };
  }

  private async sandboxConfig(pod: Pod, attempt: number): Promise<PodSandboxConfig> {
    const cfg = await this.d.config.sandboxConfig(pod, { attempt });
    cfg.metadata = { name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid!, attempt };
    cfg.labels = { ...cfg.labels, ...this.labels(pod) };
    cfg.annotations = { ...cfg.annotations, [CRI_ANNOTATIONS.podTerminationGracePeriod]: String(pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE) };
    return cfg;
  }

  /** Status to write for the pod, from the runtime and the last sync's errors. */
  async computeStatus(pod: Pod, rt: RuntimePod, failure?: { reason: string; message: string }, terminal = false): Promise<PodStatus> {
    const messages = new Map<string, string>();
    const all = [...(pod.spec.initContainers ?? []).map((c) => [c, 'init'] as const), ...pod.spec.containers.map((c) => [c, 'regular'] as const)];
    for (const [spec, type] of all) {
      for (const c of containersOf(rt, spec.name, type).slice(0, 2)) {
        if (c.state !== 'CONTAINER_EXITED') continue;
        const msg = await readTerminationMessage(c, spec);
        if (msg) messages.set(c.id, msg);
      }
    }
    // Init containers count in the current sandbox only: a new sandbox runs them again.
    const current = rt.sandboxes[0];
    if (current?.state === 'SANDBOX_READY') rt = { ...rt, containers: rt.containers.filter((c) => c.type !== 'init' || c.sandboxId === current.id) };
    return computePodStatus({ pod, rt, now: this.d.clock.now(), hostIPs: this.d.hostIPs, probes: this.d.probes, waiting: this.waiting.get(pod.metadata.uid!) ?? new Map(), messages, runtimeName: this.d.runtimeName, failure, terminal });
  }

  /** Brings a live pod's containers to its spec and returns the status to report. */
  async sync(pod: Pod): Promise<SyncResult> {
    const uid = pod.metadata.uid!;
    let rt = await readRuntimePod(this.d.runtime, uid);
    if (pod.metadata.deletionTimestamp) return this.terminate(pod, rt, { deleteObject: true });
    const waiting = new Map<string, Waiting>();
    this.waiting.set(uid, waiting);
    let resyncAfterMs: number | undefined;
    const resyncIn = (ms: number) => {
      if (ms > 0) resyncAfterMs = resyncAfterMs === undefined ? ms : Math.min(resyncAfterMs, ms);
    };

    // Terminal pods, and pods past their active deadline, only get stopped.
    const deadline = this.activeDeadline(pod);
    if (deadline !== undefined && deadline > 0) resyncIn(deadline);
    const failure = deadline !== undefined && deadline <= 0 ? { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' } : undefined;
    if (isTerminalPhase(pod.status?.phase) || failure) {
      await this.stopAll(pod, rt, this.podGrace(pod));
      rt = await readRuntimePod(this.d.runtime, uid);
      this.d.probes.removePod(uid);
      const status = await this.computeStatus(pod, rt, failure);
      return { status, resyncAfterMs: this.recentExitResync(rt) };
    }

    const t0 = Date.now();
    const marks: Record<string, number> = {};
    const mark = (k: string) => (marks[k] = Date.now() - t0);
    let volumes: VolumePaths;
    try {
      volumes = await this.d.volumes.setUp(pod);
      mark('volumes');
    } catch (err) {
      this.d.log.warn('volume set-up failed', { pod: uid, err });
      this.d.event?.(pod, 'Warning', 'FailedMount', (err as Error).message);
      return { status: await this.computeStatus(pod, rt), resyncAfterMs: 2000 };
    }

    // The sandbox: (re)create it when missing or not ready, killing what ran in the old one.
    const policy = pod.spec.restartPolicy ?? 'Always';
    let sandbox = rt.sandboxes[0];
    let sbConfig: PodSandboxConfig;
    /** All the pod's containers, old sandboxes included: restart counts go on across sandboxes. */
    let everRan: RuntimePod;
    if (!sandbox || sandbox.state !== 'SANDBOX_READY') {
      const ranBefore = !!sandbox && rt.containers.length > 0;
      if (ranBefore && policy === 'Never') {
        // Upstream does not give a Never pod whose containers ran a new sandbox.
        return { status: await this.computeStatus(pod, rt), resyncAfterMs: this.recentExitResync(rt) };
      }
      await this.stopAll(pod, rt, this.podGrace(pod));
      const attempt = sandbox ? sandbox.attempt + 1 : 0;
      sbConfig = await this.sandboxConfig(pod, attempt);
      mark('sandboxConfig');
      let newId: string;
      try {
        newId = await this.d.runtime.runPodSandbox(sbConfig);
      } catch (err) {
        this.d.log.warn('sandbox creation failed', { pod: uid, err });
        this.d.event?.(pod, 'Warning', 'FailedCreatePodSandBox', (err as Error).message);
        // A failed RunPodSandbox can leave a NOTREADY sandbox behind: do not let them pile up.
        await this.pruneExited(await readRuntimePod(this.d.runtime, uid), '');
        return { status: await this.computeStatus(pod, rt), resyncAfterMs: 2000 };
      }
      mark('runPodSandbox');
      // A pod that had nothing in the runtime now has just this sandbox: one status call instead of a full read.
      const made = rt.sandboxes.length === 0 && rt.containers.length === 0 ? await readRuntimeSandbox(this.d.runtime, newId) : undefined;
      rt = made ? { ...rt, name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default', sandboxes: [made] } : await readRuntimePod(this.d.runtime, uid);
      sandbox = rt.sandboxes.find((s) => s.id === newId) ?? rt.sandboxes[0]!;
      this.sandboxConfigs.set(uid, { id: sandbox.id, config: sbConfig });
      if (rt.sandboxes.length > 1) {
        await this.pruneExited(rt, sandbox.id);
        rt = await readRuntimePod(this.d.runtime, uid);
      }
      everRan = rt;
      // A new sandbox runs the init containers again: decisions look at its containers only.
      rt = { ...rt, containers: rt.containers.filter((c) => c.sandboxId === sandbox!.id) };
    } else {
      // The config a sandbox was made with is needed for every CreateContainer; build it once per sandbox.
      const cached = this.sandboxConfigs.get(uid);
      sbConfig = cached?.id === sandbox.id ? cached.config : await this.sandboxConfig(pod, sandbox.attempt);
      this.sandboxConfigs.set(uid, { id: sandbox.id, config: sbConfig });
      everRan = rt;
      rt = { ...rt, containers: rt.containers.filter((c) => c.sandboxId === sandbox!.id) };
    }
    const sandboxId = sandbox.id;
    const podIPs = pod.spec.hostNetwork ? this.d.hostIPs : [sandbox.ip, ...sandbox.additionalIps].filter(Boolean);
    const podIP = podIPs[0] ?? '';

    // Running containers that must go: spec changed, probe failed, no longer in the spec.
    let killed = false;
    for (const c of rt.containers) {
      if (c.state !== 'CONTAINER_RUNNING') continue;
      const spec = specOf(pod, c);
      let reason: string | undefined;
      let grace = this.podGrace(pod);
      if (!spec) reason = 'not in the pod spec';
      else if (c.hash && c.hash !== containerHash(spec)) reason = 'its definition changed';
      else {
        const k = this.d.probes.killReason(c.id);
        if (k) {
          reason = `it failed its ${k.kind} probe: ${k.message}`;
          if (k.gracePeriod !== undefined) grace = k.gracePeriod;
          this.d.event?.(pod, 'Warning', 'Unhealthy', `${k.kind === 'liveness' ? 'Liveness' : 'Startup'} probe failed: ${k.message}`);
        }
      }
      if (!reason) continue;
      this.d.log.info('killing container', { pod: uid, container: c.name, reason });
      this.d.event?.(pod, 'Normal', 'Killing', `Stopping container ${c.name}: container ${reason}, will be restarted`);
      await this.killContainer(pod, c, grace, podIP);
      killed = true;
    }
    if (killed) {
      everRan = await readRuntimePod(this.d.runtime, uid);
      rt = { ...everRan, containers: everRan.containers.filter((c) => c.sandboxId === sandboxId) };
    }

    const start = async (spec: Container, type: 'init' | 'regular', latest: RuntimeContainer | undefined): Promise<boolean> => {
      const key = `${uid}/${type}/${spec.name}`;
      if (latest && latest.state !== 'CONTAINER_CREATED') {
        const exitedAt = latest.finishedAt || this.d.clock.now();
        if (this.backoff.isInBackOffSince(key, exitedAt)) {
          const cur = this.backoff.current(key);
          waiting.set(waitingKey(type, spec.name), { reason: 'CrashLoopBackOff', message: `back-off ${formatDuration(cur)} restarting failed container=${spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})` });
          resyncIn(this.backoff.remaining(key, exitedAt));
          return false;
        }
        this.backoff.next(key);
      }
      try {
        await this.d.images.ensure(pod, spec, sbConfig, (phase, image, ms) =>
          this.d.event?.(pod, 'Normal', phase === 'pulling' ? 'Pulling' : 'Pulled', phase === 'pulling' ? `Pulling image "${image}"` : `Successfully pulled image "${image}" in ${ms}ms`),
        );
      } catch (err) {
        if (!(err instanceof ImagePullError)) throw err;
        waiting.set(waitingKey(type, spec.name), { reason: err.reason, message: err.message });
        if (err.reason !== 'ErrImageNeverPull') this.d.event?.(pod, 'Warning', 'Failed', err.message);
        mark(`image ${spec.name}`);
        resyncIn(Math.max(1000, this.d.images.backoffRemaining(pod, spec.image ?? '', this.d.clock.now())));
        return false;
      }
      mark(`image ${spec.name}`);
      let restartCount: number;
      if (latest?.state === 'CONTAINER_CREATED') {
        // Created but never started (the start failed, or the agent died in between): replace it under its own attempt.
        await this.d.runtime.removeContainer(latest.id).catch(() => undefined);
        restartCount = latest.restartCount;
      } else {
        const previous = latest ?? latestContainer(everRan, spec.name, type);
        restartCount = previous ? previous.restartCount + 1 : 0;
      }
      let id: string;
      try {
        const cfg = await this.d.config.containerConfig(pod, spec, { podIP, podIPs, hostIP: this.d.hostIPs[0] ?? '', volumes, restartCount, type });
        this.decorate(pod, spec, type, restartCount, cfg);
        mark(`config ${spec.name}`);
        id = await this.d.runtime.createContainer(sandboxId, cfg, sbConfig);
        mark(`create ${spec.name}`);
        this.d.event?.(pod, 'Normal', 'Created', `Created container ${spec.name}`);
      } catch (err) {
        waiting.set(waitingKey(type, spec.name), { reason: 'CreateContainerError', message: (err as Error).message });
        resyncIn(2000);
        return false;
      }
      try {
        await this.d.runtime.startContainer(id);
      } catch (err) {
        waiting.set(waitingKey(type, spec.name), { reason: 'RunContainerError', message: (err as Error).message });
        resyncIn(2000);
        return false;
      }
      mark(`start ${spec.name}`);
      this.d.event?.(pod, 'Normal', 'Started', `Started container ${spec.name}`);
      const postStart = spec.lifecycle?.postStart;
      if (postStart) {
        const r = await runHook(this.d.runtime, this.d.clock, postStart, id, spec, podIP, this.podGrace(pod), this.d.net);
        if (!r.ok) {
          this.d.log.warn('postStart hook failed', { pod: uid, container: spec.name, message: r.message });
          this.d.event?.(pod, 'Warning', 'FailedPostStartHook', r.message);
          const st = await this.d.runtime.containerStatus(id);
          if (st) await this.stopContainerWithGrace(id, this.podGrace(pod));
          waiting.set(waitingKey(type, spec.name), { reason: 'PostStartHookError', message: r.message });
          resyncIn(1000);
          return false;
        }
      }
      return true;
    };

    // Init containers, one at a time, each to success before the next.
    let initDone = true;
    for (const spec of pod.spec.initContainers ?? []) {
      const latest = latestContainer(rt, spec.name, 'init');
      if (spec.restartPolicy === 'Always') {
        // A sidecar: keep it running and move on once it started.
        if (latest?.state !== 'CONTAINER_RUNNING' && !(await start(spec, 'init', latest))) {
          initDone = false;
          break;
        }
        continue;
      }
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      initDone = false;
      if (latest?.state === 'CONTAINER_RUNNING') break;
      if (latest && latest.state !== 'CONTAINER_CREATED' && policy === 'Never') break; // failed for good
      await start(spec, 'init', latest);
      break;
    }

    if (initDone) {
      for (const spec of pod.spec.containers) {
        const latest = latestContainer(rt, spec.name, 'regular');
        if (latest?.state === 'CONTAINER_RUNNING') continue;
        if (latest && latest.state !== 'CONTAINER_CREATED') {
          const restart = policy === 'Always' || (policy === 'OnFailure' && latest.exitCode !== 0);
          if (!restart) continue;
        }
        await start(spec, 'regular', latest);
      }
    }

    rt = await readRuntimePod(this.d.runtime, uid);
    await this.pruneExited(rt, sandboxId);
    const running = rt.containers
      .filter((c) => c.state === 'CONTAINER_RUNNING' && c.sandboxId === sandboxId)
      .map((c) => ({ c, spec: specOf(pod, c) }))
      .filter((x): x is { c: RuntimeContainer; spec: Container } => !!x.spec)
      .map((x) => ({ container: x.spec, containerId: x.c.id, startedAt: x.c.startedAt }));
    const reported = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.containerID, s.ready]));
    this.d.probes.syncPod(pod, podIP, running, (id) => reported.get(`${this.d.runtimeName ?? 'containerd'}://${id}`) === true);

    mark('containers');
    const status = await this.computeStatus(pod, rt);
    mark('status');
    this.d.log.debug('pod synced', { pod: uid, ms: marks });
    if (isTerminalPhase(status.phase)) {
      // Nothing will run again: release the sandbox (its network) now.
      await this.stopAll(pod, rt, this.podGrace(pod));
      this.d.probes.removePod(uid);
    }
    resyncIn(this.recentExitResync(rt) ?? 0);
    return { status, resyncAfterMs, runtime: rt };
  }

  /**
   * A second look soon after a container exits: containerd may learn of an
   * OOM kill a moment after the exit, and only then reports OOMKilled.
   */
  private recentExitResync(rt: RuntimePod): number | undefined {
    const now = this.d.clock.now();
    return rt.containers.some((c) => c.state === 'CONTAINER_EXITED' && now - c.finishedAt < RECENT_EXIT_MS) ? 1000 : undefined;
  }

  /** ms until the pod's activeDeadlineSeconds passes (≤ 0: passed); undefined when it has none. */
  private activeDeadline(pod: Pod): number | undefined {
    const ads = pod.spec.activeDeadlineSeconds;
    if (ads === undefined || ads === null) return undefined;
    const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : this.d.clock.now();
    return start + ads * 1000 - this.d.clock.now();
  }

  private decorate(pod: Pod, spec: Container, type: 'init' | 'regular', restartCount: number, cfg: ContainerConfig): void {
    cfg.metadata = { name: spec.name, attempt: restartCount };
    cfg.labels = { ...cfg.labels, ...this.labels(pod), [CRI_LABELS.containerName]: spec.name };
    const a: Record<string, string> = {
      ...cfg.annotations,
      [CRI_ANNOTATIONS.containerHash]: containerHash(spec),
      [CRI_ANNOTATIONS.restartCount]: String(restartCount),
      [CRI_ANNOTATIONS.containerType]: type,
      [CRI_ANNOTATIONS.podTerminationGracePeriod]: String(pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE),
      [CRI_ANNOTATIONS.terminationMessagePath]: cfg.annotations?.[CRI_ANNOTATIONS.terminationMessagePath] ?? spec.terminationMessagePath ?? '/dev/termination-log',
      [CRI_ANNOTATIONS.terminationMessagePolicy]: spec.terminationMessagePolicy ?? 'File',
    };
    if (spec.lifecycle?.preStop) a[CRI_ANNOTATIONS.preStopHandler] = JSON.stringify(spec.lifecycle.preStop);
    if (spec.ports?.length) a[CRI_ANNOTATIONS.containerPorts] = JSON.stringify(spec.ports);
    cfg.annotations = a;
  }

  private async stopContainerWithGrace(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.d.runtime.stopContainer(id, Math.max(0, Math.ceil(graceSeconds)));
    } catch (err) {
      if ((err as { code?: string }).code !== 'NotFound') throw err;
    }
  }

  /** preStop (bounded by the grace period), then StopContainer with what remains of it. */
  async killContainer(pod: Pod | undefined, c: RuntimeContainer, graceSeconds: number, podIP: string): Promise<void> {
    const started = this.d.clock.now();
    let preStop: LifecycleHandler | undefined;
    const spec = pod ? specOf(pod, c) : undefined;
    if (spec) preStop = spec.lifecycle?.preStop;
    else if (c.annotations[CRI_ANNOTATIONS.preStopHandler]) {
      try {
        preStop = JSON.parse(c.annotations[CRI_ANNOTATIONS.preStopHandler]!) as LifecycleHandler;
      } catch {
        preStop = undefined;
      }
    }
    if (preStop && c.state === 'CONTAINER_RUNNING' && graceSeconds > 0) {
      const r = await runHook(this.d.runtime, this.d.clock, preStop, c.id, spec ?? { name: c.name }, podIP, graceSeconds, this.d.net);
      if (!r.ok) {
        this.d.log.warn('preStop hook failed', { container: c.name, message: r.message });
        if (pod) this.d.event?.(pod, 'Warning', 'FailedPreStopHook', r.message);
      }
    }
    const elapsed = (this.d.clock.now() - started) / 1000;
    const remaining = graceSeconds <= 0 ? 0 : Math.max(graceSeconds - elapsed, MIN_STOP_GRACE);
    await this.stopContainerWithGrace(c.id, remaining);
  }

  /** Stops every running container (in parallel, each with its preStop) and then the sandboxes. */
  private async stopAll(pod: Pod | undefined, rt: RuntimePod, graceSeconds: number): Promise<void> {
    const podIP = rt.sandboxes[0]?.ip ?? '';
    await Promise.all(rt.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED').map((c) => this.killContainer(pod, c, graceSeconds, podIP)));
    for (const s of rt.sandboxes) if (s.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox(s.id);
  }

  /**
   * Keeps the newest two containers per name (the current and the previous,
   * for logs --previous) and, of the stopped sandboxes, the newest one that
   * still holds containers; the rest goes.
   */
  private async pruneExited(rt: RuntimePod, currentSandbox: string): Promise<void> {
    const seen = new Map<string, number>();
    const kept = new Set<string>();
    for (const c of rt.containers) {
      const k = `${c.type}/${c.name}`;
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      if (n > 2 && c.state === 'CONTAINER_EXITED') await this.d.runtime.removeContainer(c.id).catch(() => undefined);
      else kept.add(c.sandboxId);
    }
    let keptStopped = false;
    for (const s of rt.sandboxes) {
      if (s.id === currentSandbox || s.state === 'SANDBOX_READY') continue;
      if (kept.has(s.id) && !keptStopped) {
        keptStopped = true;
        continue;
      }
      await this.d.runtime.removePodSandbox(s.id).catch(() => undefined);
    }
  }


  /**
   * Ends a pod: preStop and graceful stop of its containers, its sandboxes
   * stopped, the final status reported, volumes torn down, everything
   * removed from the runtime, and (for API pods) the object deleted.
   */
  async terminate(pod: Pod, rt: RuntimePod, opts: { deleteObject: boolean; writeStatus?: boolean }): Promise<SyncResult> {
    const uid = pod.metadata.uid!;
    await this.stopAll(pod, rt, this.podGrace(pod));
    this.d.probes.removePod(uid);
    rt = await readRuntimePod(this.d.runtime, uid);
    const status = await this.computeStatus(pod, rt, undefined, true);
    await this.removeAll(rt);
    await this.d.volumes.tearDown(uid);
    await this.d.config.releasePod?.(uid);
    this.forget(uid);
    if (opts.deleteObject) {
      if (opts.writeStatus !== false) await this.d.status.setStatus(pod, status).catch(() => undefined);
      await this.d.status.deletePod(pod);
    }
    return { status, finished: true };
  }

  /** A pod the runtime holds but no source knows (deleted while the agent was down): stop and remove it. */
  async cleanupOrphan(uid: string): Promise<void> {
    const rt = await readRuntimePod(this.d.runtime, uid);
    if (rt.sandboxes.length > 0 || rt.containers.length > 0) {
      // Its API object is gone (force-deleted, or deleted while this agent was
      // down): nobody waits for a graceful stop any more, so 1 s, as upstream
      // kills orphaned runtime pods.
      this.d.log.info('removing a pod no source knows', { pod: `${rt.namespace}/${rt.name}`, uid });
      await this.stopAll(undefined, rt, ORPHAN_GRACE_SECONDS);
      await this.removeAll(await readRuntimePod(this.d.runtime, uid));
    }
    await this.d.volumes.tearDown(uid);
    await this.d.config.releasePod?.(uid);
    this.d.probes.removePod(uid);
    this.forget(uid);
  }

  private async removeAll(rt: RuntimePod): Promise<void> {
    for (const c of rt.containers) await this.d.runtime.removeContainer(c.id).catch(() => undefined);
    for (const s of rt.sandboxes) {
      await this.d.runtime.stopPodSandbox(s.id).catch(() => undefined);
      await this.d.runtime.removePodSandbox(s.id).catch(() => undefined);
    }
  }

  forget(uid: string): void {
    this.waiting.delete(uid);
    this.sandboxConfigs.delete(uid);
    this.backoff.resetPrefix(`${uid}/`);
    this.d.images.forgetPod(uid);
  }

  /** For tests and the HTTPS API: the current waiting reasons of a pod. */
  waitingOf(uid: string): Map<string, Waiting> | undefined {
    return this.waiting.get(uid);
  }

  static startedTime(ms: number): string {
    return rfc3339(ms);
  }
}

function specOf(pod: Pod, c: RuntimeContainer): Container | undefined {
  const list = c.type === 'init' ? pod.spec.initContainers ?? [] : pod.spec.containers;
  return list.find((s) => s.name === c.name);
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return s % 60 === 0 ? `${s / 60}m0s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
