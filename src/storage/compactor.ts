import { realClock, type Clock } from '../util/clock.js';
import type { Storage } from './interface.js';

export interface CompactionPolicy {
  /** History younger than this is kept. */
  retentionMs: number;
  /** The newest this many revisions are kept. */
  retentionRevisions: number;
  /** How often to look. */
  intervalMs: number;
}

export const defaultCompactionPolicy: CompactionPolicy = {
  retentionMs: 5 * 60_000,
  retentionRevisions: 10_000,
  intervalMs: 30_000,
};

/**
 * Compacts history that is both older than the retention time and more than
 * the retention count of revisions behind the head. Like upstream's
 * compactor it samples the head revision on every tick, so it knows which
 * revision was current `retentionMs` ago without storing a time per write.
 */
export class Compactor {
  private samples: { at: number; rev: number }[] = [];
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  readonly policy: CompactionPolicy;

  constructor(
    private readonly store: Pick<Storage, 'currentRevision' | 'compact'>,
    policy: Partial<CompactionPolicy> = {},
    private readonly clock: Clock = realClock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.policy = { ...defaultCompactionPolicy, ...policy };
  }

  start(): void {
    const loop = () => {
      this.timer = this.clock.setTimeout(() => {
        this.running = this.tick().then(() => {}, this.onError).finally(() => {
          this.running = null;
          if (this.timer !== null) loop();
        });
      }, this.policy.intervalMs);
    };
    loop();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One compaction pass; returns the revision compacted to, or 0. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const head = await this.store.currentRevision();
    this.samples.push({ at: now, rev: head });
    const cutoff = now - this.policy.retentionMs;
    // The newest sample at or before the cutoff: everything up to it is old enough.
    let old: { at: number; rev: number } | undefined;
    while (this.samples.length && this.samples[0]!.at <= cutoff) old = this.samples.shift();
    if (old) this.samples.unshift(old); // keep it: it is still the newest old-enough sample
    const target = Math.min(old?.rev ?? 0, head - this.policy.retentionRevisions);
    if (target <= 0) return 0;
    await this.store.compact(target);
    return target;
  }
}
