// Probe workers: one per running container and probe kind, driven by the
// injected clock. Readiness starts false and liveness true; a startup probe
// holds back the other two until it succeeds. Result changes are reported so
// the kubelet resyncs the pod (a liveness or startup failure makes it kill
// the container; readiness feeds the status).
import type { Container, Pod, Probe } from '../../api/core-v1.js';
import type { RuntimeService } from '../../cri/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { runHandler, type ProbeNet } from './handlers.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeManagerDeps {
  runtime: RuntimeService;
  clock: Clock;
  log: Logger;
  /** A result changed for a container of this pod. */
  onChange: (podUid: string) => void;
  /** How httpGet/tcpSocket probes dial (directly by default). */
  net?: ProbeNet;
}

export interface RunningContainer {
  container: Container;
  containerId: string;
  /** ms since the epoch */
  startedAt: number;
}

class ProbeWorker {
  result: ProbeResult;
  message = '';
  private successes = 0;
  private failures = 0;
  private timer: unknown;
  private stopped = false;
  /** The probe in flight (tests await it through ProbeManager.settled). */
  inFlight: Promise<void> = Promise.resolve();

  constructor(
    readonly kind: ProbeKind,
    readonly probe: Probe,
    readonly target: RunningContainer,
    readonly podUid: string,
    private podIP: string,
    private readonly deps: ProbeManagerDeps,
    private readonly gate: () => boolean,
    initial: ProbeResult,
  ) {
    this.result = initial;
    const delay = Math.max(0, target.startedAt + (probe.initialDelaySeconds ?? 0) * 1000 - deps.clock.now());
    this.schedule(delay);
  }

  setPodIP(ip: string): void {
    this.podIP = ip;
  }

  stop(): void {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.inFlight = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const period = (this.probe.periodSeconds ?? 10) * 1000;
    if (!this.gate()) {
      this.schedule(period);
      return;
    }
    const r = await runHandler(this.deps.runtime, this.probe, { containerId: this.target.containerId, container: this.target.container, podIP: this.podIP }, this.probe.timeoutSeconds ?? 1, this.deps.net);
    if (this.stopped) return;
    const before = this.result;
    if (r.ok) {
      this.failures = 0;
      this.successes++;
      if (this.successes >= (this.kind === 'readiness' ? this.probe.successThreshold ?? 1 : 1)) this.result = 'success';
    } else {
      this.successes = 0;
      this.failures++;
      this.message = r.message;
      if (this.failures >= (this.probe.failureThreshold ?? 3)) this.result = 'failure';
    }
    if (before !== this.result) {
      this.deps.log.info('probe result changed', { pod: this.podUid, container: this.target.container.name, probe: this.kind, result: this.result, message: r.ok ? undefined : r.message });
      this.deps.onChange(this.podUid);
    }
    // A failed liveness/startup probe ends with the container; a passed startup probe is done.
    if ((this.kind !== 'readiness' && this.result === 'failure') || (this.kind === 'startup' && this.result === 'success')) return;
    this.schedule(period);
  }
}

export class ProbeManager {
  /** key: `${containerId}/${kind}` */
  private readonly workers = new Map<string, ProbeWorker>();
  private readonly byPod = new Map<string, Set<string>>();
  private readonly startedAt: number;

  constructor(private readonly deps: ProbeManagerDeps) {
    this.startedAt = deps.clock.now();
  }

  /**
   * Makes the workers match the pod's running containers: new containers get
   * workers, gone ones lose theirs. `seedReady` carries readiness already
   * reported for a container (an agent restart keeps a ready pod ready).
   */
  syncPod(pod: Pod, podIP: string, running: RunningContainer[], seedReady: (containerId: string) => boolean = () => false): void {
    const uid = pod.metadata.uid!;
    const wanted = new Set<string>();
    for (const rc of running) {
      const c = rc.container;
      const kinds: [ProbeKind, Probe | undefined][] = [['startup', c.startupProbe], ['liveness', c.livenessProbe], ['readiness', c.readinessProbe]];
      for (const [kind, probe] of kinds) {
        if (!probe) continue;
        const key = `${rc.containerId}/${kind}`;
        wanted.add(key);
        const existing = this.workers.get(key);
        if (existing) {
          existing.setPodIP(podIP);
          continue;
        }
        const gate = kind === 'startup' ? () => true : () => this.started(rc.containerId);
        // A container that was running before this agent started got through its startup probe already.
        const startedBefore = rc.startedAt > 0 && rc.startedAt < this.startedAt;
        const initial: ProbeResult = kind === 'readiness' ? (seedReady(rc.containerId) ? 'success' : 'failure') : kind === 'liveness' ? 'success' : startedBefore ? 'success' : 'unknown';
        const w = new ProbeWorker(kind, probe, rc, uid, podIP, this.deps, gate, initial);
        if (kind === 'startup' && initial === 'success') w.stop();
        this.workers.set(key, w);
      }
    }
    const mine = this.byPod.get(uid) ?? new Set<string>();
    for (const key of mine) {
      if (!wanted.has(key)) {
        this.workers.get(key)?.stop();
        this.workers.delete(key);
      }
    }
    this.byPod.set(uid, wanted);
  }

  removePod(uid: string): void {
    for (const key of this.byPod.get(uid) ?? []) {
      this.workers.get(key)?.stop();
      this.workers.delete(key);
    }
    this.byPod.delete(uid);
  }

  private result(containerId: string, kind: ProbeKind): ProbeWorker | undefined {
    return this.workers.get(`${containerId}/${kind}`);
  }

  /** Startup passed (or there is no startup probe). */
  started(containerId: string): boolean {
    const w = this.result(containerId, 'startup');
    return !w || w.result === 'success';
  }

  /** Ready: started, and readiness passed (or there is no readiness probe). */
  ready(containerId: string): boolean {
    if (!this.started(containerId)) return false;
    const w = this.result(containerId, 'readiness');
    return !w || w.result === 'success';
  }

  /** Why the container must be killed: a failed liveness or startup probe; undefined if not. */
  killReason(containerId: string): { kind: ProbeKind; message: string; gracePeriod?: number } | undefined {
    for (const kind of ['startup', 'liveness'] as const) {
      const w = this.result(containerId, kind);
      if (w?.result === 'failure') return { kind, message: w.message, gracePeriod: w.probe.terminationGracePeriodSeconds };
    }
    return undefined;
  }

  /** Resolves once every probe in flight has finished and scheduled its next run. */
  async settled(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.inFlight));
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
    this.byPod.clear();
  }
}
