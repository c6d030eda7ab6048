// At most `limit` async jobs in flight, first come first served, so that
// registering thousands of nodes or renewing thousands of leases does not
// flood the API server.

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`concurrency limit must be ≥ 1, not ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a slot; the returned function gives it back (once; later calls do nothing). */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    // A released slot passes straight to the next waiter, so nobody can slip in between.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await job();
    } finally {
      release();
    }
  }
}

/** Maps over items with at most `limit` calls in flight; results keep their order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const limiter = new ConcurrencyLimiter(limit);
  return Promise.all(items.map((item, i) => limiter.run(() => fn(item, i))));
}
