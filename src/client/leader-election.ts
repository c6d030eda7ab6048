// Leader election on a coordination.k8s.io/v1 Lease, after client-go: every
// candidate tries to acquire or renew the Lease with optimistic concurrency
// (the Lease's resourceVersion); a holder that stops renewing is replaced once
// leaseDuration has passed *as observed on the candidate's own clock* (so
// clock skew between machines does not matter). A leader that cannot renew
// within renewDeadline steps down; a graceful stop releases the Lease.
import { realClock, type Clock } from '../util/clock.js';
import { isAlreadyExists, isConflict, isNotFound } from './errors.js';
import type { ResourceClient } from './resource-client.js';
import type { Lease } from './types.js';

export type LeaseClient = Pick<ResourceClient<Lease>, 'get' | 'create' | 'update'>;

export interface LeaderElectorOptions {
  client: { leases: LeaseClient };
  namespace?: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  /** Called once leadership is gained; the signal aborts when it is lost or the elector stops. */
  onStartedLeading: (signal: AbortSignal) => unknown;
  onStoppedLeading?: () => unknown;
  /** Called when the observed holder changes (including to ourselves). */
  onNewLeader?: (identity: string) => unknown;
  /** Release the Lease on stop() so a successor need not wait for expiry (default true). */
  releaseOnStop?: boolean;
  clock?: Clock;
  onError?: (err: unknown) => void;
  /** Jitter source in [0, 1) for retry periods. */
  random?: () => number;
}

export class LeaderElectionConfigError extends Error {
  override name = 'LeaderElectionConfigError';
}

type LeaseSpec = NonNullable<Lease['spec']>;

/** MicroTime: RFC 3339 with microseconds, as the Lease fields are declared. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const JITTER = 1.2;

export class LeaderElector {
  private readonly clock: Clock;
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { spec: LeaseSpec; rv: string } | undefined;
  /** Local time at which `observed` last changed. */
  private observedTime = 0;
  private leading = false;
  private stopped = false;
  private leaderAbort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private reportedLeader: string | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.clock = opts.clock ?? realClock;
    this.namespace = opts.namespace ?? 'kube-system';
    this.leaseDurationMs = (opts.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadlineMs = (opts.renewDeadlineSeconds ?? 10) * 1000;
    this.retryPeriodMs = (opts.retryPeriodSeconds ?? 2) * 1000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new LeaderElectionConfigError('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER * this.retryPeriodMs) throw new LeaderElectionConfigError('renewDeadline must be greater than retryPeriod*1.2');
    if (!opts.identity) throw new LeaderElectionConfigError('identity is required');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder named by the Lease as last observed. */
  getLeader(): string | undefined {
    return this.observed?.spec.holderIdentity || undefined;
  }

  /**
   * Campaigns until leading, then renews until leadership is lost or stop()
   * is called. Resolves when this elector is no longer leading and not
   * campaigning. Call again to campaign anew after a loss.
   */
  run(): Promise<void> {
    this.stopped = false;
    this.running ??= this.campaign().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops campaigning or renewing; releases the Lease if leading (unless releaseOnStop is false). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async campaign(): Promise<void> {
    // Acquire: retry every (jittered) retry period.
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew()) break;
      await this.sleep(this.retryPeriodMs * (1 + (this.opts.random ?? Math.random)() * (JITTER - 1)));
    }
    if (this.stopped) return;
    this.leading = true;
    this.leaderAbort = new AbortController();
    const signal = this.leaderAbort.signal;
    try {
      const r = this.opts.onStartedLeading(signal);
      if (r instanceof Promise) r.catch((err: unknown) => this.opts.onError?.(err));
    } catch (err) {
      this.opts.onError?.(err);
    }
    // Renew: give up when no renewal succeeded within renewDeadline.
    let lastRenew = this.clock.now();
    while (!this.stopped) {
      await this.sleep(this.retryPeriodMs);
      if (this.stopped) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.clock.now();
        continue;
      }
      if (this.clock.now() - lastRenew >= this.renewDeadlineMs || !this.holdsLease()) break;
    }
    if (this.stopped && (this.opts.releaseOnStop ?? true)) await this.release();
    this.leading = false;
    this.leaderAbort.abort();
    this.opts.onStoppedLeading?.();
  }

  private holdsLease(): boolean {
    return this.observed?.spec.holderIdentity === this.opts.identity;
  }

  /** One attempt: create the Lease, renew ours, or take over an expired one. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const leases = this.opts.client.leases;
    const mine: LeaseSpec = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: this.leaseDurationMs / 1000,
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    let current: Lease;
    try {
      current = await leases.get(this.namespace, this.opts.name);
    } catch (err) {
      if (!isNotFound(err)) {
        this.opts.onError?.(err);
        return false;
      }
      try {
        const created = await leases.create(this.namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.opts.name, namespace: this.namespace }, spec: mine });
        this.observe(created, now);
        return true;
      } catch (e) {
        if (!isAlreadyExists(e)) this.opts.onError?.(e);
        return false;
      }
    }
    const spec = current.spec ?? {};
    this.observe(current, now);
    const holder = spec.holderIdentity ?? '';
    const held = holder !== '' && holder !== this.opts.identity;
    if (held && this.observedTime + (spec.leaseDurationSeconds ?? 0) * 1000 > now) return false;
    if (holder === this.opts.identity) {
      mine.acquireTime = spec.acquireTime ?? mine.acquireTime;
      mine.leaseTransitions = spec.leaseTransitions ?? 0;
    } else {
      mine.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    try {
      const updated = await leases.update({ ...current, spec: { ...spec, ...mine } });
      this.observe(updated, now);
      return true;
    } catch (err) {
      if (!isConflict(err)) this.opts.onError?.(err);
      return false;
    }
  }

  /** Records the Lease; the observed time only moves when its content changed. */
  private observe(lease: Lease, now: number): void {
    const spec = lease.spec ?? {};
    const rv = lease.metadata.resourceVersion ?? '';
    const prev = this.observed;
    if (!prev || prev.spec.holderIdentity !== spec.holderIdentity || prev.spec.renewTime !== spec.renewTime || prev.rv !== rv) {
      this.observedTime = now;
    }
    this.observed = { spec, rv };
    const holder = spec.holderIdentity ?? '';
    if (holder && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.opts.onNewLeader?.(holder);
    }
  }

  /** Gives the Lease up so the next candidate need not wait for it to expire. */
  private async release(): Promise<void> {
    if (!this.holdsLease()) return;
    try {
      const current = await this.opts.client.leases.get(this.namespace, this.opts.name);
      if (current.spec?.holderIdentity !== this.opts.identity) return;
      const now = microTime(this.clock.now());
      await this.opts.client.leases.update({
        ...current,
        spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
      });
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.clock.clearTimeout(t);
        resolve();
      };
    });
  }
}
