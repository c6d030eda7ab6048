// What the kubelet's HTTPS server needs from the rest of the kubelet: how to
// find pods and containers, and who may call it.
import type { Pod } from '../../api/core-v1.js';
import type { RuntimeService } from '../../cri/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { RuntimeDialer } from './runtime-dial.js';

export interface ContainerRef {
  containerId: string;
  /** Absolute path of the container's CRI log file. */
  logPath: string;
  sandboxId: string;
}

/** Implemented by the kubelet: its view of the pods bound to this node. */
export interface KubeletPodSource {
  /** The pods this kubelet runs (for GET /pods). */
  listPods(): Pod[] | Promise<Pod[]>;
  /** The pod by namespace and name, or null. */
  getPod(namespace: string, name: string): Pod | null | Promise<Pod | null>;
  /**
   * The current (or, with previous, the last terminated) instance of a
   * container, or null when there is none (not started yet, or no previous).
   */
  findContainer(namespace: string, pod: string, container: string, previous?: boolean): ContainerRef | null | Promise<ContainerRef | null>;
  /** The pod's ready sandbox, or null. */
  findSandbox(namespace: string, pod: string): { sandboxId: string } | null | Promise<{ sandboxId: string } | null>;
}

/** A caller identified by its client certificate. */
export interface KubeletUser {
  name: string;
  groups: string[];
}

export interface KubeletRequestAttributes {
  verb: string;
  /** "nodes" with subresource "proxy", "log", "stats"... as upstream's kubelet authorizer names them. */
  resource: string;
  subresource: string;
  path: string;
}

export type KubeletAuthorizer = (user: KubeletUser, attrs: KubeletRequestAttributes) => boolean | Promise<boolean>;

export interface KubeletServerOptions {
  /** Default 10250; 0 picks a free port. */
  port?: number;
  /** Default 0.0.0.0. */
  host?: string;
  /** The serving certificate and key (PEM). */
  certPem: string;
  keyPem: string;
  /** CA bundle that client certificates must chain to (the cluster CA). */
  clientCaPem: string;
  runtime: RuntimeService;
  pods: KubeletPodSource;
  nodeName: string;
  /** Default: members of system:masters only (the API server's kubelet client). */
  authorize?: KubeletAuthorizer;
  logger?: Logger;
  clock?: Clock;
  /** How to reach the runtime's streaming server (tests: through a network namespace); default TCP/TLS. */
  dialRuntime?: RuntimeDialer;
  /** Where node cgroups and /proc are read from (tests); defaults / . */
  hostRoot?: string;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}
