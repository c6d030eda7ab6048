// The scheduling queue: activeQ (pods to try now, by priority then arrival),
// backoffQ (pods that failed recently, per-pod exponential backoff 1 s →
// 10 s) and unschedulablePods (parked until a cluster event some rejecting
// plugin cares about, or at most 5 minutes). Time comes from an injected Clock.
import type { Clock } from '../../util/clock.js';
import { PodInfo } from '../cache/pod-info.js';
import {
  EVENT_UNSCHEDULABLE_TIMEOUT,
  eventMatches,
  type ClusterEvent,
  type ClusterEventWithHint,
} from '../framework/events.js';
import { deepEqualJSON } from '../../api/meta.js';
import { podKey, type Pod } from '../types.js';
import { KeyedHeap } from './heap.js';

export const DEFAULT_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_MAX_UNSCHEDULABLE_MS = 5 * 60_000;
export const BACKOFF_FLUSH_INTERVAL_MS = 1_000;
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

export interface QueuedPodInfo {
  podInfo: PodInfo;
  readonly key: string;
  /** When the pod last entered a queue (activeQ order; backoff start). */
  timestamp: number;
  /** When the pod was first added; for latency metrics. */
  readonly initialAttemptTimestamp: number;
  /** Scheduling attempts so far; drives the backoff. */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
}

export interface QueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
  /** Plugin name → events that may make a pod it rejected schedulable (Framework.eventsToRegister()). */
  pluginEvents?: ReadonlyMap<string, readonly ClusterEventWithHint[]>;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

/** spec.schedulingGates: such pods wait, untried, until every gate is removed. */
function isGated(pod: Pod): boolean {
  const gates = pod.spec?.['schedulingGates'];
  return Array.isArray(gates) && gates.length > 0;
}

function activeLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.priority;
  const pb = b.podInfo.priority;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private readonly pluginEvents: ReadonlyMap<string, readonly ClusterEventWithHint[]>;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((q) => q.key, activeLess);
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly gated = new Map<string, QueuedPodInfo>();
  private readonly waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private timers: unknown[] = [];
  private closed = false;

  constructor(opts: QueueOptions) {
    this.clock = opts.clock;
    this.initialBackoff = opts.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    this.maxBackoff = opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.maxUnschedulable = opts.maxUnschedulableMs ?? DEFAULT_MAX_UNSCHEDULABLE_MS;
    this.pluginEvents = opts.pluginEvents ?? new Map();
    this.backoffQ = new KeyedHeap<QueuedPodInfo>((q) => q.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  // ---- informer side ----

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.where(key)) return this.update(undefined, pod);
    const now = this.clock.now();
    const q: QueuedPodInfo = { podInfo: new PodInfo(pod), key, timestamp: now, initialAttemptTimestamp: now, attempts: 0, unschedulablePlugins: new Set() };
    if (isGated(pod)) this.gated.set(key, q);
    else this.pushActive(q);
  }

  /**
   * A pending pod changed. A parked pod whose spec or labels changed may now
   * fit, so it moves on (to backoffQ while backing off); otherwise it is
   * updated in place.
   */
  update(old: Pod | undefined, pod: Pod): void {
    const key = podKey(pod);
    const info = new PodInfo(pod);
    const waiting = this.gated.get(key);
    if (waiting) {
      waiting.podInfo = info;
      if (!isGated(pod)) {
        this.gated.delete(key);
        this.pushActive(waiting);
      }
      return;
    }
    const inActive = this.activeQ.get(key);
    if (inActive) {
      inActive.podInfo = info;
      this.activeQ.push(inActive);
      return;
    }
    const inBackoff = this.backoffQ.get(key);
    if (inBackoff) {
      inBackoff.podInfo = info;
      this.backoffQ.push(inBackoff);
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      parked.podInfo = info;
      const changed = !old || !deepEqualJSON(old.spec, pod.spec) || !deepEqualJSON(old.metadata.labels, pod.metadata.labels);
      if (changed) {
        this.unschedulable.delete(key);
        if (this.isBackingOff(parked)) this.backoffQ.push(parked);
        else this.pushActive(parked);
      }
      return;
    }
    this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
  }

  // ---- scheduler side ----

  /** The next pod to schedule, or undefined when activeQ is empty. */
  pop(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (!q) return undefined;
    q.attempts++;
    this.schedulingCycle++;
    return q;
  }

  /** Waits for a pod; resolves undefined once the queue is closed. */
  popWait(): Promise<QueuedPodInfo | undefined> {
    const q = this.pop();
    if (q || this.closed) return Promise.resolve(q);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The cycle number of the last pop; pass it back to `addUnschedulableIfNotPresent`. */
  get currentSchedulingCycle(): number {
    return this.schedulingCycle;
  }

  /**
   * Requeues a pod that failed. With no rejecting plugins (an error) or when
   * a move request arrived during its cycle, it goes to backoffQ; otherwise
   * it is parked until a relevant event.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podSchedulingCycle: number): void {
    if (this.where(q.key)) return;
    q.timestamp = this.clock.now();
    if (q.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) this.backoffQ.push(q);
    else this.unschedulable.set(q.key, q);
  }

  /** Moves backed-off pods whose backoff has expired to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) return;
      this.backoffQ.pop();
      this.pushActive(head);
    }
  }

  /** Pods parked longer than the maximum are retried anyway. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const stale = [...this.unschedulable.values()].filter((q) => now - q.timestamp > this.maxUnschedulable);
    if (stale.length) this.movePods(stale, EVENT_UNSCHEDULABLE_TIMEOUT, undefined, undefined);
  }

  /**
   * A cluster event happened: parked pods that a rejecting plugin says may
   * now fit move to activeQ (or backoffQ while still backing off).
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown): number {
    const moved = this.movePods([...this.unschedulable.values()], event, oldObj, newObj);
    this.moveRequestCycle = this.schedulingCycle;
    return moved;
  }

  /** Runs the periodic flushes on the clock until `close()`. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimeout(tick, ms));
      };
      this.timers.push(this.clock.setTimeout(tick, ms));
    };
    every(BACKOFF_FLUSH_INTERVAL_MS, () => this.flushBackoffQCompleted());
    every(UNSCHEDULABLE_FLUSH_INTERVAL_MS, () => this.flushUnschedulablePodsLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  // ---- introspection ----

  where(key: string): QueueName | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.gated.has(key)) return 'gated';
    return undefined;
  }

  sizes(): Record<QueueName, number> {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, gated: this.gated.size };
  }

  /** The backoff after `attempts` failures: initial × 2^(attempts-1), capped. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoff;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoff) return this.maxBackoff;
    }
    return d;
  }

  // ---- internals ----

  private backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q.attempts);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return q.attempts > 0 && this.backoffExpiry(q) > this.clock.now();
  }

  private pushActive(q: QueuedPodInfo): void {
    this.activeQ.push(q);
    const w = this.waiters.shift();
    if (w) w(this.pop());
  }

  private movePods(pods: QueuedPodInfo[], event: ClusterEvent, oldObj: unknown, newObj: unknown): number {
    let moved = 0;
    for (const q of pods) {
      if (event !== EVENT_UNSCHEDULABLE_TIMEOUT && !this.worthRequeuing(q, event, oldObj, newObj)) continue;
      this.unschedulable.delete(q.key);
      if (this.isBackingOff(q)) this.backoffQ.push(q);
      else this.pushActive(q);
      moved++;
    }
    return moved;
  }

  /** True when some plugin that rejected the pod registered for the event and its hint says Queue. */
  private worthRequeuing(q: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    if (q.unschedulablePlugins.size === 0) return true;
    for (const plugin of q.unschedulablePlugins) {
      for (const reg of this.pluginEvents.get(plugin) ?? []) {
        if (!eventMatches(reg.event, event)) continue;
        if (!reg.hint) return true;
        try {
          if (reg.hint(q.podInfo.pod, oldObj, newObj) === 'Queue') return true;
        } catch {
          return true; // a failing hint must not strand the pod
        }
      }
    }
    return false;
  }
}
