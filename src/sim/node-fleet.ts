// The simulated kubelets' node side: registers Node objects and their Leases,
// renews every Lease each lease period and re-posts node status each status
// period (both spread over the period, with bounded concurrency), and lets
// tests stop and resume one node's heartbeat.
import type { KubeClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { Lease, Node } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { mapLimited } from '../util/limiter.js';
import { buildLease, buildNode, healthyNodeConditions, NODE_LEASE_NAMESPACE, type NodeShape } from './node-object.js';
import { nodeInternalIp } from './pod-cidr.js';
import { PeriodicRing } from './periodic-ring.js';
import { rfc3339Micro } from './time-format.js';

export const FIELD_MANAGER = 'kubets-sim';
/** A node whose registration fails this often (with growing pauses) is left out. */
const REGISTER_ATTEMPTS = 3;
const REGISTER_RETRY_MS = 200;

export interface NodeFleetOptions {
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  namePrefix: string;
  cpu: string;
  memory: string;
  pods: number;
  ephemeralStorage: string;
  /** Lease renewal period (upstream kubelet: 10 s). */
  leasePeriodMs: number;
  /** Status re-post period when nothing changed (upstream kubelet: 5 min). */
  statusPeriodMs: number;
  /** Requests in flight while registering, renewing or posting status. */
  concurrency: number;
}

export interface SimNode {
  readonly name: string;
  readonly index: number;
  readonly hostIP: string;
  uid?: string;
  /** When the node's conditions last changed (registration or a resumed heartbeat). */
  conditionsSince: number;
  heartbeatStopped: boolean;
}

export class NodeFleet {
  private readonly nodes = new Map<string, SimNode>();
  private readonly leases: PeriodicRing<string>;
  private readonly statuses: PeriodicRing<string>;
  private nextIndex = 0;
  /** Called when a node's heartbeat resumes (its pods may move again). */
  onResume: (name: string) => void = () => {};
  readonly counters = { leaseRenewals: 0, statusPosts: 0, errors: 0 };

  constructor(private readonly o: NodeFleetOptions) {
    this.leases = new PeriodicRing({ clock: o.clock, periodMs: o.leasePeriodMs, concurrency: o.concurrency, run: (n) => this.renewLease(n) });
    this.statuses = new PeriodicRing({ clock: o.clock, periodMs: o.statusPeriodMs, concurrency: o.concurrency, run: (n) => this.postStatus(n) });
  }

  get(name: string): SimNode | undefined {
    return this.nodes.get(name);
  }

  names(): string[] {
    return [...this.nodes.keys()];
  }

  private shape(name: string, index: number): NodeShape {
    return { name, index, cpu: this.o.cpu, memory: this.o.memory, pods: this.o.pods, ephemeralStorage: this.o.ephemeralStorage };
  }

  /** Registers `count` more nodes (and their Leases); resolves with their names once all exist. */
  async add(count: number): Promise<string[]> {
    const fresh: SimNode[] = [];
    for (let i = 0; i < count; i++) {
      const index = this.nextIndex++;
      const name = `${this.o.namePrefix}${index}`;
      if (this.nodes.has(name)) continue;
      fresh.push({ name, index, hostIP: nodeInternalIp(index), conditionsSince: this.o.clock.now(), heartbeatStopped: false });
    }
    let lastError: unknown;
    const ok = await mapLimited(fresh, this.o.concurrency, async (n) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.register(n);
          return true;
        } catch (err) {
          lastError = err;
          if (attempt >= REGISTER_ATTEMPTS) {
            this.failed('registration', n.name, err);
            return false;
          }
          await new Promise<void>((resolve) => this.o.clock.setTimeout(resolve, REGISTER_RETRY_MS * attempt));
        }
      }
    });
    const registered = fresh.filter((_, i) => ok[i]);
    // Nothing registered at all is a configuration problem (wrong server, no rights): say so.
    if (registered.length === 0 && fresh.length > 0) throw lastError;
    for (const n of registered) this.nodes.set(n.name, n);
    const names = registered.map((n) => n.name);
    // Both were just written: the first renewal is due within one period.
    this.leases.add(names, this.o.leasePeriodMs / Math.max(1, names.length));
    this.statuses.add(names, this.o.statusPeriodMs / Math.max(1, names.length));
    return names;
  }

  private async register(n: SimNode): Promise<void> {
    const now = this.o.clock.now();
    const node = buildNode(this.shape(n.name, n.index), now);
    let created: Node;
    try {
      created = await this.o.client.nodes.create(undefined, node, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // A restarted simulator takes its nodes back, as a restarted kubelet does.
      created = await this.o.client.nodes.patch<Node>(undefined, n.name, { metadata: { labels: node.metadata.labels } }, 'merge', { fieldManager: FIELD_MANAGER });
      await this.o.client.nodes.patch(undefined, n.name, { status: node.status }, 'merge', { subresource: 'status', fieldManager: FIELD_MANAGER });
    }
    n.uid = created.metadata.uid;
    await this.writeLease(n, now);
  }

  private async writeLease(n: SimNode, now: number): Promise<void> {
    try {
      await this.o.client.leases.create(NODE_LEASE_NAMESPACE, buildLease(n.name, n.uid, now), { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await this.patchLease(n.name, now);
    }
  }

  private patchLease(name: string, now: number): Promise<Lease> {
    return this.o.client.leases.patch<Lease>(NODE_LEASE_NAMESPACE, name, { spec: { holderIdentity: name, renewTime: rfc3339Micro(now) } }, 'merge', { fieldManager: FIELD_MANAGER });
  }

  private async renewLease(name: string): Promise<void> {
    const n = this.nodes.get(name);
    if (!n || n.heartbeatStopped) return;
    const now = this.o.clock.now();
    try {
      await this.patchLease(name, now);
      this.counters.leaseRenewals++;
    } catch (err) {
      if (isNotFound(err)) return this.writeLease(n, now).catch((e: unknown) => this.failed('lease', name, e));
      this.failed('lease', name, err);
    }
  }

  private async postStatus(name: string): Promise<void> {
    const n = this.nodes.get(name);
    if (!n || n.heartbeatStopped) return;
    const patch = { status: { conditions: healthyNodeConditions(this.o.clock.now(), n.conditionsSince) } };
    try {
      await this.o.client.nodes.patch(undefined, name, patch, 'merge', { subresource: 'status', fieldManager: FIELD_MANAGER });
      this.counters.statusPosts++;
    } catch (err) {
      if (isNotFound(err)) {
        // Someone deleted the node: stop simulating it.
        this.o.logger.info('simulated node deleted from the API; forgetting it', { node: name });
        this.forget(name);
        return;
      }
      this.failed('status', name, err);
    }
  }

  private failed(what: string, node: string, err: unknown): void {
    this.counters.errors++;
    this.o.logger.warn(`node ${what} update failed`, { node, err: err instanceof Error ? err.message : String(err) });
  }

  stopHeartbeat(name: string): boolean {
    const n = this.nodes.get(name);
    if (!n) return false;
    n.heartbeatStopped = true;
    return true;
  }

  /** Resumes at once: a fresh Lease and status (conditions transition now, as after a kubelet restart). */
  async resumeHeartbeat(name: string): Promise<boolean> {
    const n = this.nodes.get(name);
    if (!n) return false;
    if (!n.heartbeatStopped) return true;
    n.heartbeatStopped = false;
    n.conditionsSince = this.o.clock.now();
    await Promise.all([this.renewLease(name), this.postStatus(name)]);
    this.onResume(name);
    return true;
  }

  private forget(name: string): void {
    this.nodes.delete(name);
    this.leases.remove(name);
    this.statuses.remove(name);
  }

  /** Stops simulating the node and deletes its Node and Lease. */
  async remove(name: string): Promise<boolean> {
    if (!this.nodes.has(name)) return false;
    this.forget(name);
    const ignoreMissing = (err: unknown) => {
      if (!isNotFound(err)) throw err;
    };
    await this.o.client.leases.delete(NODE_LEASE_NAMESPACE, name).catch(ignoreMissing);
    await this.o.client.nodes.delete(undefined, name).catch(ignoreMissing);
    return true;
  }

  stop(): void {
    this.leases.stop();
    this.statuses.stop();
  }
}
