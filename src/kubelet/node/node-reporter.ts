// Registers this node and keeps it alive: the Lease renewed every 10 s (the
// heartbeat the node lifecycle controller watches) and node status posted
// when it changes, or every 5 minutes regardless, as upstream's kubelet does.
import type { Node, NodeAddress } from '../../api/core-v1.js';
import { buildLease, NODE_LEASE_NAMESPACE } from '../../api/node-lease.js';
import { rfc3339Micro } from '../../api/time.js';
import type { KubeClient } from '../../client/client.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { Lease } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { MachineFacts, MachineUsage } from './machine.js';
import { mergeConditions, nodeInfo, nodeLabels, nodeResources, statusChanged, wantedConditions, type NodeHealth } from './node-status.js';

const FIELD_MANAGER = 'kubelet';
export const LEASE_RENEW_MS = 10_000;
export const STATUS_CHECK_MS = 10_000;
export const STATUS_REPORT_MS = 5 * 60_000;

export interface NodeReporterOptions {
  client: KubeClient;
  nodeName: string;
  nodeIP: string;
  kubeletPort: number;
  maxPods: number;
  facts: MachineFacts;
  usage(): MachineUsage;
  health(): NodeHealth;
  runtimeVersion(): string;
  /** Images present on the node, for status.images (the scheduler's ImageLocality). */
  images?(): Promise<{ names: string[]; sizeBytes?: number }[]>;
  labels?: Record<string, string>;
  clock: Clock;
  log: Logger;
}

export class NodeReporter {
  private node: Node | null = null;
  private lastReport = 0;
  private leaseTimer: unknown;
  private statusTimer: unknown;
  private stopped = false;

  constructor(private readonly o: NodeReporterOptions) {}

  get current(): Node | null {
    return this.node;
  }

  private addresses(): NodeAddress[] {
    return [
      { type: 'InternalIP', address: this.o.nodeIP },
      { type: 'Hostname', address: this.o.nodeName },
    ];
  }

  private async status(previous: Node['status'] | undefined): Promise<NonNullable<Node['status']>> {
    const { capacity, allocatable } = nodeResources(this.o.facts, this.o.maxPods);
    const images = this.o.images ? await this.o.images().catch(() => undefined) : undefined;
    return {
      capacity,
      allocatable,
      conditions: mergeConditions(previous?.conditions, wantedConditions(this.o.usage(), this.o.health()), this.o.clock.now()),
      addresses: this.addresses(),
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.kubeletPort } },
      nodeInfo: nodeInfo(this.o.facts, this.o.runtimeVersion()),
      ...(images ? { images } : {}),
    };
  }

  /** Creates the Node, or adopts an existing one of the same name (an agent restart). */
  async register(): Promise<Node> {
    const labels = nodeLabels(this.o.nodeName, this.o.facts, this.o.labels);
    const fresh: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.o.nodeName, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
      spec: {},
    };
    let node: Node;
    try {
      node = await this.o.client.nodes.create(undefined, fresh as never, { fieldManager: FIELD_MANAGER }) as unknown as Node;
      this.o.log.info('node registered', { node: this.o.nodeName });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.o.client.nodes.patch<Node>(undefined, this.o.nodeName, { metadata: { labels } }, 'merge', { fieldManager: FIELD_MANAGER });
      this.o.log.info('node already registered: adopting it', { node: this.o.nodeName });
    }
    this.node = node;
    await this.postStatus(true);
    return this.node;
  }

  start(): void {
    const leaseLoop = async () => {
      await this.renewLease().catch((err) => this.o.log.warn('lease renewal failed', { err: String(err) }));
      if (!this.stopped) this.leaseTimer = this.o.clock.setTimeout(() => void leaseLoop(), LEASE_RENEW_MS);
    };
    const statusLoop = async () => {
      await this.postStatus(false).catch((err) => this.o.log.warn('node status update failed', { err: String(err) }));
      if (!this.stopped) this.statusTimer = this.o.clock.setTimeout(() => void statusLoop(), STATUS_CHECK_MS);
    };
    void leaseLoop();
    this.statusTimer = this.o.clock.setTimeout(() => void statusLoop(), STATUS_CHECK_MS);
  }

  stop(): void {
    this.stopped = true;
    this.o.clock.clearTimeout(this.leaseTimer);
    this.o.clock.clearTimeout(this.statusTimer);
  }

  /** Posts status now when it changed, or when the report period has passed (or `force`). */
  async postStatus(force: boolean): Promise<void> {
    const current = await this.o.client.nodes.get(undefined, this.o.nodeName).catch((err) => {
      if (isNotFound(err)) return null;
      throw err;
    }) as unknown as Node | null;
    if (!current) {
      // Deleted behind our back: register again, as upstream's kubelet does.
      this.node = null;
      await this.register();
      return;
    }
    const next = await this.status(current.status);
    const now = this.o.clock.now();
    if (!force && !statusChanged(current.status, next) && now - this.lastReport < STATUS_REPORT_MS) {
      this.node = current;
      return;
    }
    this.node = await this.o.client.nodes.patch<Node>(undefined, this.o.nodeName, { status: next }, 'merge', { subresource: 'status', fieldManager: FIELD_MANAGER });
    this.lastReport = now;
  }

  async renewLease(): Promise<void> {
    const now = this.o.clock.now();
    try {
      await this.o.client.leases.patch<Lease>(NODE_LEASE_NAMESPACE, this.o.nodeName, { spec: { holderIdentity: this.o.nodeName, renewTime: rfc3339Micro(now) } }, 'merge', { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.o.client.leases.create(NODE_LEASE_NAMESPACE, buildLease(this.o.nodeName, this.node?.metadata.uid, now), { fieldManager: FIELD_MANAGER });
    }
  }

  /** Resolves with the node's podCIDR once the node IPAM controller has assigned one. */
  async waitForPodCIDR(timeoutMs = 60_000): Promise<string> {
    const deadline = this.o.clock.now() + timeoutMs;
    for (;;) {
      const node = await this.o.client.nodes.get(undefined, this.o.nodeName) as unknown as Node;
      if (node.spec?.podCIDR) return node.spec.podCIDR;
      if (this.o.clock.now() > deadline) throw new Error(`node ${this.o.nodeName} got no podCIDR in ${timeoutMs / 1000} s: is the controller manager (node IPAM) running?`);
      await new Promise<void>((resolve) => this.o.clock.setTimeout(resolve, 250));
    }
  }
}
