// The proxier: keeps the kernel's service rules in step with Services and
// EndpointSlices. Changes are coalesced (at most one sync per min period);
// each sync recomputes the rules, writes only the chains whose text changed
// (iptables-restore --noflush, so chains it does not own are never touched),
// deletes the chains that went away, and flushes stale UDP flows.
import type { SharedInformer } from '../client/informer.js';
import type { CommandRunner } from '../network/node-routes.js';
import { realClock, type Clock } from '../util/clock.js';
import { silentLogger, type Logger } from '../util/log.js';
import { flushStaleFlows, staleFlowDeletions, udpStates, type UdpServiceState } from './conntrack.js';
import { Iptables, type Table } from './iptables.js';
import { computeRules, isOwnedChain, JUMP_RULES, renderTable, RulesCache, type ChainRules } from './rules.js';
import { buildServicePorts, type EndpointSliceObject, type ServiceObject, type ServicePortsCache } from './service-ports.js';

export interface ProxySource {
  services(): Iterable<ServiceObject>;
  endpointSlices(): Iterable<EndpointSliceObject>;
}

export interface ProxierOptions {
  nodeName: string;
  clusterCIDR?: string;
  /** Unmatched traffic to it is rejected (rules.ts RulesOptions.serviceCIDR). */
  serviceCIDR?: string;
  source: ProxySource;
  run: CommandRunner;
  clock?: Clock;
  log?: Logger;
  /** Least time between two syncs; changes inside it are coalesced (default 100 ms). */
  minSyncPeriodMs?: number;
  /** Every so often the jumps are checked and our chains compared (rule counts) with the kernel's; any difference rewrites everything (default 1 h). */
  fullSyncPeriodMs?: number;
  /** Wait after a failed sync (default 1 s). */
  retryPeriodMs?: number;
}

export interface SyncResult {
  /** Chains written (declared and filled) per table; 0 and 0 = nothing changed, nothing run. */
  natChains: number;
  filterChains: number;
  removed: number;
  full: boolean;
  durationMs: number;
  /** Clock time at which the rules were in the kernel. */
  appliedAt: number;
}

type Applied = Record<Table, Map<string, string>>;

export class Proxier {
  readonly iptables: Iptables;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly minSync: number;
  private readonly fullSyncPeriod: number;
  private readonly retryPeriod: number;
  private applied: Applied | undefined;
  private udp = new Map<string, UdpServiceState>();
  private readonly portsCache: ServicePortsCache = new WeakMap();
  private readonly rulesCache = new RulesCache();
  private forceFull = true;
  private lastFullAt = -Infinity;
  private dirty = false;
  private syncing = false;
  private stopped = false;
  private timer: unknown;
  private auditTimer: unknown;
  private notBefore = 0;
  private idleWaiters: (() => void)[] = [];
  private keepAlive: NodeJS.Timeout | undefined;
  private listeners = new Set<(r: SyncResult) => void>();
  /** Counters for tests and metrics. */
  readonly stats = { syncs: 0, restores: 0, failures: 0 };

  constructor(private readonly o: ProxierOptions) {
    this.iptables = new Iptables(o.run);
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? silentLogger;
    this.minSync = o.minSyncPeriodMs ?? 100;
    this.fullSyncPeriod = o.fullSyncPeriodMs ?? 3_600_000;
    this.retryPeriod = o.retryPeriodMs ?? 1000;
  }

  /** Feeds the proxier from shared informers: any change schedules a sync. */
  watch(services: SharedInformer<ServiceObject>, slices: SharedInformer<EndpointSliceObject>): () => void {
    const changed = () => this.markChanged();
    const h = { onAdd: changed, onUpdate: (a: unknown, b: unknown) => a !== b && changed(), onDelete: changed };
    const regs = [services.addEventHandler(h), slices.addEventHandler(h)];
    return () => regs.forEach((r) => r.remove());
  }

  /** Observes every sync that ran (including those that wrote nothing). */
  onSync(fn: (r: SyncResult) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  markChanged(): void {
    this.dirty = true;
    this.schedule();
  }

  /** Rewrites everything at the next sync (e.g. after the tables were changed behind our back). */
  forceFullSync(): void {
    this.forceFull = true;
    this.markChanged();
  }

  /** Resolves once no sync is pending or running. */
  whenIdle(): Promise<void> {
    if ((!this.dirty || this.stopped) && !this.syncing && this.timer === undefined) return Promise.resolve();
    // The clock's timers may be unref'd: someone waiting for the sync keeps the process alive.
    this.keepAlive ??= setInterval(() => {}, 60_000);
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    if (this.auditTimer !== undefined) this.clock.clearTimeout(this.auditTimer);
    this.timer = this.auditTimer = undefined;
    this.settleIdle();
  }

  private schedule(): void {
    if (this.stopped || this.syncing || this.timer !== undefined) return;
    const wait = Math.max(0, this.notBefore - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runSync();
    }, wait);
  }

  private settleIdle(): void {
    if (this.dirty && !this.stopped) return;
    if (this.syncing || this.timer !== undefined) return;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async runSync(): Promise<void> {
    if (this.stopped) return this.settleIdle();
    this.syncing = true;
    this.dirty = false;
    const start = this.clock.now();
    this.notBefore = start + this.minSync;
    try {
      const r = await this.syncOnce(start);
      for (const l of this.listeners) l(r);
    } catch (err) {
      this.stats.failures++;
      this.log.warn('proxy rules sync failed; retrying', { err: err instanceof Error ? err.message : String(err) });
      this.forceFull = true;
      this.dirty = true;
      this.notBefore = this.clock.now() + this.retryPeriod;
    } finally {
      this.syncing = false;
      // Even without changes, the next audit comes after one full-sync period.
      if (this.auditTimer === undefined && !this.stopped) {
        this.auditTimer = this.clock.setTimeout(() => {
          this.auditTimer = undefined;
          this.markChanged();
        }, this.fullSyncPeriod);
      }
      if (this.dirty) this.schedule();
      this.settleIdle();
    }
  }

  private async syncOnce(start: number): Promise<SyncResult> {
    this.stats.syncs++;
    let full = this.forceFull || !this.applied;
    const audit = !full && start - this.lastFullAt >= this.fullSyncPeriod;
    if (audit && !(await this.kernelMatches())) {
      this.log.warn('proxy chains were changed behind our back; rewriting them all');
      full = true;
    }
    const ports = buildServicePorts(this.o.source.services(), this.o.source.endpointSlices(), this.o.nodeName, this.portsCache);
    const rules = computeRules(ports, { clusterCIDR: this.o.clusterCIDR, serviceCIDR: this.o.serviceCIDR }, this.rulesCache);
    const next: Applied = { nat: joinChains(rules.nat), filter: joinChains(rules.filter) };
    const texts: string[] = [];
    const counts = { nat: 0, filter: 0, removed: 0 };
    for (const table of ['nat', 'filter'] as const) {
      const prev = this.applied?.[table];
      const write = [...next[table].keys()].filter((c) => full || prev?.get(c) !== next[table].get(c));
      // On a full sync the kernel is the truth: our chains left by an earlier run go too.
      const known = full ? await this.iptables.ownedChains(table) : [...(prev?.keys() ?? [])];
      const remove = known.filter((c) => !next[table].has(c));
      counts[table] = write.length;
      counts.removed += remove.length;
      if (write.length || remove.length) texts.push(renderTable(table, rules[table] as ChainRules, write, remove));
    }
    if (texts.length) {
      await this.iptables.restore(texts.join(''));
      this.stats.restores++;
    }
    if (full || audit) {
      for (const [table, chain, args] of JUMP_RULES) await this.iptables.ensureRule(table, chain, args);
      this.lastFullAt = start;
      this.forceFull = false;
    }
    this.applied = next;
    const appliedAt = this.clock.now();
    const udp = udpStates(ports);
    const deletions = staleFlowDeletions(this.udp, udp);
    this.udp = udp;
    if (deletions.length) await flushStaleFlows(deletions, this.o.run);
    const r: SyncResult = { natChains: counts.nat, filterChains: counts.filter, removed: counts.removed, full, durationMs: appliedAt - start, appliedAt };
    if (texts.length) this.log.debug('proxy rules synced', { ...r });
    return r;
  }

  /**
   * The periodic check: do our chains in the kernel match what we last
   * wrote? Cheaper than rewriting everything (an iptables-nft restore of
   * 10k+ chains takes many seconds and would delay real changes).
   */
  private async kernelMatches(): Promise<boolean> {
    for (const table of ['nat', 'filter'] as const) {
      const save = await this.iptables.save(table);
      const want = this.applied![table];
      const have = new Map<string, number>();
      for (const line of save.split('\n')) {
        if (line.startsWith(':')) {
          const c = line.slice(1).split(' ')[0]!;
          if (isOwnedChain(c)) have.set(c, 0);
        } else if (line.startsWith('-A ')) {
          const c = line.slice(3, line.indexOf(' ', 3));
          const n = have.get(c);
          if (n !== undefined) have.set(c, n + 1);
        }
      }
      if (have.size !== want.size) return false;
      for (const [c, text] of want) if (have.get(c) !== (text ? text.split('\n').length : 0)) return false;
    }
    return true;
  }

  /**
   * Removes every chain the proxy owns and its jumps from the built-in
   * chains (`kubets proxy --cleanup`). Safe to run when nothing is there.
   */
  async cleanup(): Promise<void> {
    this.stop();
    // A sync still running would put its jumps back after they are deleted below.
    await this.whenIdle();
    for (const [table, chain, args] of JUMP_RULES) await this.iptables.deleteRule(table, chain, args);
    await cleanupChains(this.iptables);
    this.applied = undefined;
  }
}

/** Flushes and deletes every proxy-owned chain in both tables. */
export async function cleanupChains(iptables: Iptables): Promise<void> {
  const texts: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const owned = await iptables.ownedChains(table);
    if (owned.length) texts.push(renderTable(table, new Map(), [], owned));
  }
  if (texts.length) await iptables.restore(texts.join(''));
}

// Cached fragments hand back the same line arrays: join each only once.
const joined = new WeakMap<string[], string>();

function joinChains(rules: ChainRules): Map<string, string> {
  const m = new Map<string, string>();
  for (const [c, lines] of rules) {
    let text = joined.get(lines);
    if (text === undefined) joined.set(lines, (text = lines.join('\n')));
    m.set(c, text);
  }
  return m;
}
