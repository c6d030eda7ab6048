// Calls to etcd with one overall deadline, failover between members and a
// classification of failures, so the store answers Unavailable in bounded
// time instead of hanging or guessing.
import type { CallOptions } from '@grpc/grpc-js';
import { invalid, unavailable } from './errors.js';

/** A read asked for a revision that etcd no longer has, or does not have yet. */
export class EtcdRevisionError extends Error {
  override name = 'EtcdRevisionError';
  constructor(
    readonly kind: 'compacted' | 'future',
    message: string,
  ) {
    super(message);
  }
}

type Failure = 'compacted' | 'future' | 'rejected' | 'not-sent' | 'unknown-outcome';

function classify(err: unknown): Failure {
  const msg = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  if (/required revision has been compacted/.test(msg)) return 'compacted';
  if (/required revision is a future revision/.test(msg)) return 'future';
  if (/InvalidArgument|INVALID_ARGUMENT|request is too large|too many operations|key is not provided/i.test(msg)) {
    return 'rejected';
  }
  // The request never reached a member that could apply it.
  if (/No connection established|ECONNREFUSED|Failed to connect|no leader|not capable|Connection pool has no hosts/i.test(msg)) {
    return 'not-sent';
  }
  // Dropped connections, deadlines, leader changes: the write may or may not have happened.
  return 'unknown-outcome';
}

export interface CallResult<T> {
  value: T;
  /** An earlier attempt failed in a way that leaves its outcome unknown (it may have been applied). */
  ambiguous: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EtcdCaller {
  closed = false;

  constructor(private readonly timeoutMs: number) {}

  /**
   * Runs `op` until it succeeds or the request timeout runs out. Each attempt
   * gets a slice of the budget so one stuck member cannot eat all of it; the
   * client picks a member per attempt, which is what fails over.
   */
  async call<T>(what: string, op: (options: CallOptions) => Promise<T>): Promise<CallResult<T>> {
    const deadline = Date.now() + this.timeoutMs;
    const attemptCap = Math.max(1000, this.timeoutMs / 3);
    let ambiguous = false;
    let backoff = 25;
    let lastErr: unknown;
    for (;;) {
      if (this.closed) throw unavailable('etcd store is closed');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw unavailable(`${what}: ${errText(lastErr)}`, lastErr);
      try {
        const value = await op({ deadline: new Date(Date.now() + Math.min(remaining, attemptCap)) });
        return { value, ambiguous };
      } catch (err) {
        const kind = classify(err);
        if (kind === 'compacted' || kind === 'future') throw new EtcdRevisionError(kind, errText(err));
        // etcd refused the request itself (too large, malformed): retrying cannot help.
        if (kind === 'rejected') throw invalid(`${what}: ${errText(err)}`);
        if (kind === 'unknown-outcome') ambiguous = true;
        lastErr = err;
      }
      await sleep(Math.min(backoff, Math.max(0, deadline - Date.now())));
      backoff = Math.min(backoff * 2, 400);
    }
  }
}

function errText(err: unknown): string {
  if (err === undefined) return 'timed out';
  return err instanceof Error ? err.message : String(err);
}
