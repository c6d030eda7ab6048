// The Node and Lease objects a simulated kubelet registers and keeps fresh.
import type { Lease, Node } from '../client/types.js';
import { nodeInternalIp } from './pod-cidr.js';
import { rfc3339 } from './time-format.js';

export const SIM_KUBELET_VERSION = 'v1.33.0+kubets';
export const SIM_RUNTIME_VERSION = 'kubets-sim://1.0';
export { NODE_LEASE_NAMESPACE, NODE_LEASE_DURATION_SECONDS, buildLease } from '../api/node-lease.js';
/** Label every simulated node carries, as KWOK's do; the simulator selects its nodes with it. */
export const SIM_NODE_LABEL = { key: 'type', value: 'kwok' } as const;

export interface NodeShape {
  name: string;
  index: number;
  cpu: string;
  memory: string;
  pods: number;
  ephemeralStorage: string;
}

export function nodeLabels(name: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    [SIM_NODE_LABEL.key]: SIM_NODE_LABEL.value,
    'node.kubernetes.io/instance-type': 'kubets-sim',
  };
}

function resources(s: NodeShape): Record<string, string> {
  return { cpu: s.cpu, memory: s.memory, pods: String(s.pods), 'ephemeral-storage': s.ephemeralStorage };
}

/** A stable fake machine id from the node name (32 hex digits, like /etc/machine-id). */
function machineId(name: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    h1 = Math.imul(h1 ^ name.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ name.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return hex(h1) + hex(h2) + hex(h1 ^ h2) + hex(Math.imul(h1, 31) >>> 0);
}

export type NodeCondition = { type: string; status: string; reason: string; message: string; lastHeartbeatTime: string; lastTransitionTime: string };

/** The four kubelet conditions of a healthy node; `since` is when they last changed. */
export function healthyNodeConditions(now: number, since: number): NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({
    type, status, reason, message, lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(since),
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(s: NodeShape, now: number, since: number): NonNullable<Node['status']> {
  const id = machineId(s.name);
  return {
    capacity: resources(s),
    allocatable: resources(s),
    conditions: healthyNodeConditions(now, since),
    addresses: [
      { type: 'InternalIP', address: nodeInternalIp(s.index) },
      { type: 'Hostname', address: s.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: id,
      systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
      bootID: machineId(`${s.name}/boot`),
      kernelVersion: '6.1.0-kubets-sim',
      osImage: 'kubets simulated node',
      containerRuntimeVersion: SIM_RUNTIME_VERSION,
      kubeletVersion: SIM_KUBELET_VERSION,
      kubeProxyVersion: SIM_KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

export function buildNode(s: NodeShape, now: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: s.name,
      labels: nodeLabels(s.name),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'sim.kubets.io/node-index': String(s.index) },
    },
    spec: {},
    status: nodeStatus(s, now, now),
  };
}
