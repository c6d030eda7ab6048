// Leader election against an in-memory Lease store with resourceVersion checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { ApiStatusError, ApiTransportError } from './errors.js';
import { LeaderElectionConfigError, LeaderElector, microTime, type LeaseClient } from './leader-election.js';
import type { Lease } from './types.js';

class FakeLeases implements LeaseClient {
  lease: Lease | undefined;
  private rv = 0;
  /** Identities whose requests fail as if partitioned from the server. */
  partitioned = new Set<string>();

  for(identity: string): LeaseClient {
    const check = () => {
      if (this.partitioned.has(identity)) throw new ApiTransportError('connection refused');
    };
    return {
      get: async () => { check(); return this.get(); },
      create: async (ns, l) => { check(); return this.create(ns, l); },
      update: async (l) => { check(); return this.update(l); },
    };
  }

  async get(): Promise<Lease> {
    if (!this.lease) throw new ApiStatusError(404, 'NotFound', 'leases "x" not found');
    return structuredClone(this.lease);
  }
  async create(_ns: string | undefined, l: Lease): Promise<Lease> {
    if (this.lease) throw new ApiStatusError(409, 'AlreadyExists', 'exists');
    this.lease = { ...structuredClone(l), metadata: { ...l.metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.lease);
  }
  async update(l: Lease): Promise<Lease> {
    if (l.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) throw new ApiStatusError(409, 'Conflict', 'the object has been modified');
    this.lease = { ...structuredClone(l), metadata: { ...l.metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.lease);
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

/** Advances the fake clock in small steps, letting async work run in between. */
async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush();
  }
}

function elector(leases: FakeLeases, clock: FakeClock, identity: string, log: string[], extra: Partial<ConstructorParameters<typeof LeaderElector>[0]> = {}) {
  return new LeaderElector({
    client: { leases: leases.for(identity) },
    name: 'kube-controller-manager',
    identity,
    leaseDurationSeconds: 15,
    renewDeadlineSeconds: 10,
    retryPeriodSeconds: 2,
    clock,
    random: () => 0,
    onStartedLeading: () => log.push(`${identity} started`),
    onStoppedLeading: () => log.push(`${identity} stopped`),
    ...extra,
  });
}

describe('LeaderElector', () => {
  it('formats MicroTime with microseconds', () => {
    assert.equal(microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678000Z');
  });

  it('rejects inconsistent timings', () => {
    const l = new FakeLeases();
    assert.throws(() => new LeaderElector({ client: { leases: l }, name: 'x', identity: 'a', leaseDurationSeconds: 10, renewDeadlineSeconds: 10, onStartedLeading: () => {} }), LeaderElectionConfigError);
  });

  it('one leads; a graceful stop releases the Lease and the other takes over at its next retry', async () => {
    const clock = new FakeClock(1_000_000);
    const leases = new FakeLeases();
    const log: string[] = [];
    const a = elector(leases, clock, 'a', log);
    const b = elector(leases, clock, 'b', log);
    const runA = a.run();
    await flush();
    const runB = b.run();
    await advance(clock, 20_000);
    assert.deepEqual(log, ['a started']);
    assert.ok(a.isLeader() && !b.isLeader());
    assert.equal(b.getLeader(), 'a');
    assert.equal(leases.lease?.spec?.leaseTransitions, 0);
    const acquired = leases.lease?.spec?.acquireTime;
    assert.notEqual(leases.lease?.spec?.renewTime, acquired, 'renewed since');
    await a.stop();
    await runA;
    assert.equal(leases.lease?.spec?.holderIdentity, '');
    await advance(clock, 2_500);
    assert.deepEqual(log, ['a started', 'a stopped', 'b started']);
    assert.equal(leases.lease?.spec?.holderIdentity, 'b');
    assert.equal(leases.lease?.spec?.leaseTransitions, 1);
    await b.stop();
    await runB;
  });

  it('a partitioned leader steps down after renewDeadline; the other takes over once the lease expires', async () => {
    const clock = new FakeClock(1_000_000);
    const leases = new FakeLeases();
    const log: string[] = [];
    let signal: AbortSignal | undefined;
    const a = elector(leases, clock, 'a', log, { onStartedLeading: (s) => { signal = s; log.push('a started'); } });
    const b = elector(leases, clock, 'b', log);
    const runA = a.run();
    await flush();
    const runB = b.run();
    await advance(clock, 4_000);
    leases.partitioned.add('a');
    const cutAt = clock.now();
    await advance(clock, 11_000);
    assert.ok(log.includes('a stopped'), 'a gave up after the renew deadline');
    assert.ok(signal?.aborted);
    await runA;
    assert.ok(!log.includes('b started'), 'the lease has not expired yet for b');
    await advance(clock, 10_000);
    assert.ok(log.includes('b started'));
    const tookOver = leases.lease!.spec!.acquireTime!;
    assert.ok(Date.parse(tookOver) - cutAt <= 15_000 + 2_000 + 100, `took over within lease duration + retry (${Date.parse(tookOver) - cutAt} ms)`);
    await b.stop();
    await runB;
  });
});
