// What every controller in the controller manager is given, and what it provides.
import type { KubeClient } from '../client/client.js';
import type { SharedInformerFactory } from '../client/informer-factory.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';

export interface ControllerContext {
  client: KubeClient;
  /** Shared by every controller: one list+watch per resource for the whole manager. */
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
  /** Tunables (e.g. node-monitor grace period, pod eviction timeout), from flags or tests. */
  options: ControllerOptions;
}

export interface ControllerOptions {
  /** Node lifecycle: how long a node may miss heartbeats before it is NotReady/Unknown. */
  nodeMonitorGracePeriodSeconds?: number;
  /** Default toleration for not-ready/unreachable taints added to pods (300 s upstream). */
  defaultTolerationSeconds?: number;
  /** Node IPAM: the cluster CIDR and per-node mask. */
  clusterCidr?: string;
  nodeCidrMaskSize?: number;
  /** PodGC: terminated pods kept before the oldest are deleted (12500 upstream; 0 disables). */
  terminatedPodGcThreshold?: number;
  /** PodGC: seconds between collection passes (20 upstream). */
  podGcPeriodSeconds?: number;
  /** Local-path provisioner: where volume directories live on the nodes (`<dataDir>/storage`). */
  localPathStorageDir?: string;
  /** Local-path provisioner: remove a deleted volume's directory here (the controller runs on the volume's node, as in `kubets server`). */
  localPathDeleteDirs?: boolean;
  /** Root CA publisher: the CA bundle (PEM) for ConfigMap kube-root-ca.crt; defaults to the client's CA. */
  rootCaPem?: string;
  /** Workers per controller. */
  workers?: number;
}

/**
 * A controller in the Kubernetes pattern: informer handlers only enqueue
 * keys; `reconcile(key)` reads fresh state and is level-triggered and
 * idempotent. `run` registers handlers, waits for caches, starts workers,
 * and returns when `signal` aborts and its workers have stopped.
 */
export interface Controller {
  readonly name: string;
  run(signal: AbortSignal): Promise<void>;
}

export type ControllerFactory = (ctx: ControllerContext) => Controller;
