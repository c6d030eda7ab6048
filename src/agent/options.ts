// The node agent's settings, shared by `kubets agent` and the agent that
// `kubets server` runs in-process. Defaults follow architecture.md (k3s's).
import os from 'node:os';
import type { OciRuntimeChoice } from './oci-runtime.js';

export interface AgentSettings {
  nodeName: string;
  /** The node's InternalIP; pods' hostIP, the kubelet API and NodePorts listen on it. */
  nodeIP: string;
  /** The data dir (DIR): agent state under DIR/agent, archives in DIR/images, static pods in DIR/manifests. */
  dataDir: string;
  /** An existing CRI runtime (unix:///path) instead of a private containerd. */
  runtimeEndpoint?: string;
  /** The OCI runtime a private containerd's shims run (default auto). */
  ociRuntime?: OciRuntimeChoice;
  kubeletPort: number;
  maxPods: number;
  clusterDNS: string;
  clusterDomain: string;
  clusterCIDR: string;
  serviceCIDR: string;
  /** Registries (host:port) reached over plain HTTP, e.g. a local docker-registry. */
  insecureRegistries: string[];
  /** The pod network across nodes: host-gw routes (default) or none (single node, or another plugin). */
  podNetwork?: PodNetworkMode;
  /** The cgroup every pod lives under (default /kubepods); several agents on one machine each take their own. */
  cgroupRoot?: string;
  /** Node add-ons this agent does not run. */
  disable?: AgentAddon[];
  /** The ingress controller's ports on the node address (default 80 and 443). */
  ingressHttpPort?: number;
  ingressHttpsPort?: number;
}

/** What every node runs beside the kubelet: kube-proxy, node-local cluster DNS, the ingress controller. */
export const AGENT_ADDONS = ['proxy', 'dns', 'ingress'] as const;
export type AgentAddon = (typeof AGENT_ADDONS)[number];

export type PodNetworkMode = 'host-gw' | 'none';

export const AGENT_DEFAULTS = {
  kubeletPort: 10250,
  maxPods: 110,
  clusterDNS: '10.43.0.10',
  clusterDomain: 'cluster.local',
  clusterCIDR: '10.42.0.0/16',
  serviceCIDR: '10.43.0.0/16',
} as const;

const IGNORED_INTERFACES = /^(lo|cni\d*|veth.*|docker\d*|kube-.*|flannel.*)$/;

/** The first global IPv4 address of this network namespace, as the kubelet picks its node IP. */
export function detectNodeIP(ifaces = os.networkInterfaces()): string | undefined {
  for (const [name, addrs] of Object.entries(ifaces)) {
    if (IGNORED_INTERFACES.test(name)) continue;
    const v4 = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return undefined;
}

/** Node names are DNS-1123 subdomains, lower case, as upstream's kubelet derives them from the hostname. */
export function defaultNodeName(hostname = os.hostname()): string {
  return hostname.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'node';
}

/**
 * Node.js flags for an agent process: V8's young generation grows to 3 x 32 MiB by default,
 * which took an agent with 30 pods to 132 MiB; with 1 MiB semi-spaces it held 92 MiB
 * (bench/podstartup.ts). A process cannot shrink its own, so whoever starts one passes these.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1'];
