// startSimulatedNodes: KWOK-like fake nodes that register, heartbeat, and run
// the pods bound to them through a data-driven lifecycle, all through the API.
import type { KubeClient } from '../client/client.js';
import { SharedInformer, stripManagedFields } from '../client/informer.js';
import type { SharedInformerFactory } from '../client/informer-factory.js';
import { listWatchFor } from '../client/list-watch.js';
import { RESOURCES } from '../client/resources.js';
import type { Node, Pod } from '../client/types.js';
import { realClock, type Clock } from '../util/clock.js';
import { silentLogger, type Logger } from '../util/log.js';
import { NodeFleet } from './node-fleet.js';
import { SIM_NODE_LABEL } from './node-object.js';
import { defaultNodePodCidr } from './pod-cidr.js';
import { nodeNameIndexFunc, NODE_NAME_INDEX, PodDriver } from './pod-driver.js';
import { defaultStages } from './stages/default-stages.js';
import { compileStages } from './stages/match.js';
import type { StageConfig } from './stages/types.js';

export interface SimOptions {
  client: KubeClient;
  /** Nodes to register at start (more with addNodes). */
  nodes: number;
  namePrefix?: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  ephemeralStorage?: string;
  /** The pod lifecycle; replaces the built-in one (see defaultStages()). */
  stages?: StageConfig;
  clock?: Clock;
  logger?: Logger;
  /** Lease renewal period, default 10 s as the kubelet. */
  leasePeriodMs?: number;
  /** Node status re-post period when unchanged, default 5 min as the kubelet. */
  statusPeriodMs?: number;
  /**
   * Pod transition workers: default one per 32 nodes, 8 to 64. Each waits on
   * its own status write, and a real cluster has a kubelet per node, so a big
   * fleet needs many in flight to keep up with the scheduler.
   */
  podWorkers?: number;
  /** Requests in flight for node registration and heartbeats (default 32). */
  concurrency?: number;
  /** Use this factory's pods informer (all pods) instead of a private one (pods with a node only). */
  informers?: SharedInformerFactory;
  /** Randomness for stage jitter, in [0, 1). */
  random?: () => number;
}

export interface SimStats {
  nodes: number;
  podsOnSimNodes: number;
  podTransitions: number;
  podDeletes: number;
  leaseRenewals: number;
  nodeStatusPosts: number;
  errors: number;
}

export interface SimHandle {
  /** Names of the nodes currently simulated. */
  nodeNames(): string[];
  /** The node stops renewing its Lease and posting status; its pods freeze (a dead kubelet). */
  stopHeartbeat(nodeName: string): boolean;
  resumeHeartbeat(nodeName: string): Promise<boolean>;
  isHeartbeatStopped(nodeName: string): boolean;
  /** The range the node's pod IPs come from (its spec.podCIDR once seen, else a default /24). */
  podCidrOf(nodeName: string): string | undefined;
  /** Registers more nodes, numbered after the existing ones; resolves with their names. */
  addNodes(count: number): Promise<string[]>;
  /** Stops simulating the node and deletes its Node and Lease. */
  removeNode(nodeName: string): Promise<boolean>;
  stats(): SimStats;
  /** Stops heartbeats and pod work (Node objects stay, as when a kubelet stops). */
  stop(): Promise<void>;
}

export async function startSimulatedNodes(opts: SimOptions): Promise<SimHandle> {
  const clock = opts.clock ?? realClock;
  const logger = opts.logger ?? silentLogger;
  const fleet = new NodeFleet({
    client: opts.client,
    clock,
    logger,
    namePrefix: opts.namePrefix ?? 'sim-node-',
    cpu: opts.cpu ?? '32',
    memory: opts.memory ?? '256Gi',
    pods: opts.pods ?? 110,
    ephemeralStorage: opts.ephemeralStorage ?? '100Gi',
    leasePeriodMs: opts.leasePeriodMs ?? 10_000,
    statusPeriodMs: opts.statusPeriodMs ?? 300_000,
    // Enough Lease renewals in flight that a large fleet keeps up with its period even when each takes ~100 ms.
    concurrency: opts.concurrency ?? Math.max(32, Math.ceil(opts.nodes / 40)),
  });

  // Nodes: only to learn each node's spec.podCIDR once IPAM assigns it.
  const nodeInformer = new SharedInformer<Node>(listWatchFor(opts.client.nodes, undefined, { labelSelector: `${SIM_NODE_LABEL.key}=${SIM_NODE_LABEL.value}` }), { clock, transform: stripManagedFields });
  // Pods: one informer for the fleet. A private one skips unscheduled pods server-side.
  // With no stages nothing happens to pods (a scheduler_perf-style run): then an own pod watch is not even opened.
  const stages = (opts.stages ?? defaultStages()).stages;
  const ownPods = !opts.informers && stages.length > 0;
  const podInformer = opts.informers
    ? opts.informers.informer<Pod>(RESOURCES.pods)
    : new SharedInformer<Pod>(listWatchFor(opts.client.pods, undefined, { fieldSelector: 'spec.nodeName!=' }), { clock, indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc }, transform: stripManagedFields });

  const podCidrOf = (name: string): string | undefined => {
    const n = fleet.get(name);
    if (!n) return undefined;
    const cidr = nodeInformer.store.getByName(undefined, name)?.spec?.podCIDR;
    // IPv6 ranges are not simulated: such nodes keep the IPv4 default.
    return cidr && !cidr.includes(':') ? cidr : defaultNodePodCidr(n.index);
  };
  const driver = new PodDriver({
    client: opts.client,
    informer: podInformer,
    stages: compileStages(stages),
    clock,
    logger,
    workers: opts.podWorkers ?? Math.min(64, Math.max(8, Math.ceil(opts.nodes / 32))),
    random: opts.random ?? Math.random,
    node(name) {
      const n = fleet.get(name);
      return n && { hostIP: n.hostIP, podCidr: podCidrOf(name)!, heartbeatStopped: n.heartbeatStopped };
    },
  });
  fleet.onResume = (name) => driver.enqueueNode(name);

  try {
    await fleet.add(opts.nodes);
  } catch (err) {
    fleet.stop();
    throw err;
  }
  nodeInformer.run();
  if (ownPods) podInformer.run();
  else opts.informers?.start();
  await Promise.all([nodeInformer.waitForSync(), ...(ownPods || opts.informers ? [podInformer.waitForSync()] : [])]);
  driver.start();
  logger.info('simulated nodes registered', { nodes: opts.nodes });

  let stopped = false;
  return {
    nodeNames: () => fleet.names(),
    stopHeartbeat: (name) => fleet.stopHeartbeat(name),
    resumeHeartbeat: (name) => fleet.resumeHeartbeat(name),
    isHeartbeatStopped: (name) => fleet.get(name)?.heartbeatStopped ?? false,
    podCidrOf,
    async addNodes(count) {
      const names = await fleet.add(count);
      // Pods may have been bound to these names before they existed.
      for (const n of names) driver.enqueueNode(n);
      return names;
    },
    removeNode: (name) => fleet.remove(name),
    stats: () => ({
      nodes: fleet.names().length,
      podsOnSimNodes: fleet.names().reduce((sum, n) => sum + driver.podsOn(n).length, 0),
      podTransitions: driver.counters.transitions,
      podDeletes: driver.counters.deletes,
      leaseRenewals: fleet.counters.leaseRenewals,
      nodeStatusPosts: fleet.counters.statusPosts,
      errors: fleet.counters.errors + driver.counters.errors,
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      fleet.stop();
      await driver.stop();
      await nodeInformer.stop();
      if (ownPods) await podInformer.stop();
    },
  };
}
