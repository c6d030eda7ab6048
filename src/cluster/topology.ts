// The shape of a `kubets cluster up` cluster: one network namespace per node
// (the server's included) plus a "switch" namespace holding the bridge, with a
// veth pair per node. Node addresses come from a private /24 that exists only
// inside these namespaces; no namespace has a default route.

export const NODE_SUBNET_PREFIX = '172.28.0';
export const NODE_SUBNET_BITS = 24;
export const BRIDGE = 'kc0';
/** The node side of each veth pair, inside the node's namespace. */
export const NODE_IFACE = 'eth0';
export const API_PORT = 6443;
export const MAX_NODES = 200;

export interface ClusterNode {
  /** Node name (agents) or "server". */
  name: string;
  role: 'server' | 'agent';
  netns: string;
  ip: string;
  /** The switch side of this node's veth pair (≤ 15 characters). */
  switchIface: string;
}

export interface ClusterTopology {
  id: string;
  switchNetns: string;
  server: ClusterNode;
  agents: ClusterNode[];
}

export class TopologyError extends Error {
  override name = 'TopologyError';
}

/** Every namespace, interface and address of a cluster with `nodes` agents. `id` keeps two clusters' names apart. */
export function clusterTopology(id: string, nodes: number): ClusterTopology {
  if (!/^[a-z0-9]{1,8}$/.test(id)) throw new TopologyError(`invalid cluster id ${JSON.stringify(id)}: want 1-8 lower-case letters or digits`);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) throw new TopologyError(`invalid node count ${nodes}: want 1..${MAX_NODES}`);
  const ns = (what: string) => `kc-${id}-${what}`;
  return {
    id,
    switchNetns: ns('switch'),
    server: { name: 'server', role: 'server', netns: ns('server'), ip: `${NODE_SUBNET_PREFIX}.2`, switchIface: 'kc-server' },
    agents: Array.from({ length: nodes }, (_, i) => ({
      name: `node-${i + 1}`,
      role: 'agent' as const,
      netns: ns(`node-${i + 1}`),
      ip: `${NODE_SUBNET_PREFIX}.${i + 11}`,
      switchIface: `kc-node-${i + 1}`,
    })),
  };
}

export function allNodes(t: ClusterTopology): ClusterNode[] {
  return [t.server, ...t.agents];
}

/** Namespaces in the order to delete them: nodes, then the switch. */
export function allNetns(t: ClusterTopology): string[] {
  return [...allNodes(t).map((n) => n.netns), t.switchNetns];
}

/** The cgroup the cluster's pods live under (one child per node), removed whole by `cluster down`. */
export function clusterCgroupRoot(t: ClusterTopology): string {
  return `/kubets-cluster-${t.id}`;
}
