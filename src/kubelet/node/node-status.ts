// The Node object a real kubelet posts: capacity from the machine,
// allocatable after upstream's default hard-eviction reserves, the four
// conditions, addresses and nodeInfo. Pure functions of their inputs.
import type { Node, NodeCondition, NodeSystemInfo } from '../../api/core-v1.js';
import { rfc3339 } from '../../api/time.js';
import type { MachineFacts, MachineUsage } from './machine.js';

export const KUBELET_VERSION = 'v1.33.0+kubets';
/** Upstream's default hard eviction thresholds: memory.available<100Mi, nodefs.available<10%. */
export const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
export const EVICTION_NODEFS_FRACTION = 0.1;
const PID_PRESSURE_FRACTION = 0.9;

export interface NodeHealth {
  runtimeReady: boolean;
  networkReady: boolean;
  /** Why the node is not ready, when it is not. */
  message?: string;
}

const ki = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

export function nodeResources(facts: MachineFacts, maxPods: number): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const base = { cpu: String(facts.cpus), pods: String(maxPods), 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  return {
    capacity: { ...base, memory: ki(facts.memoryBytes), 'ephemeral-storage': ki(facts.ephemeralStorageBytes) },
    allocatable: {
      ...base,
      memory: ki(Math.max(0, facts.memoryBytes - EVICTION_MEMORY_BYTES)),
      'ephemeral-storage': String(Math.floor(facts.ephemeralStorageBytes * (1 - EVICTION_NODEFS_FRACTION))),
    },
  };
}

type Wanted = Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

export function wantedConditions(usage: MachineUsage, health: NodeHealth): Wanted[] {
  const memoryPressure = usage.memoryAvailableBytes < EVICTION_MEMORY_BYTES;
  const diskPressure = usage.diskAvailableBytes < usage.diskCapacityBytes * EVICTION_NODEFS_FRACTION;
  const pidPressure = usage.pidsInUse > usage.pidMax * PID_PRESSURE_FRACTION;
  const ready = health.runtimeReady && health.networkReady;
  return [
    memoryPressure
      ? { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    diskPressure
      ? { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    pidPressure
      ? { type: 'PIDPressure', status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' }
      : { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message: health.message ?? (!health.runtimeReady ? 'container runtime is down' : 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
        },
  ];
}

/** Conditions with heartbeat `now`; a transition time moves only when the status changes. */
export function mergeConditions(previous: NodeCondition[] | undefined, wanted: Wanted[], now: number): NodeCondition[] {
  return wanted.map((w) => {
    const old = previous?.find((c) => c.type === w.type);
    const since = old && old.status === w.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
    return { ...w, lastHeartbeatTime: rfc3339(now), lastTransitionTime: since };
  });
}

export function nodeInfo(facts: MachineFacts, runtimeVersion: string): NodeSystemInfo {
  return {
    machineID: facts.machineID,
    systemUUID: facts.systemUUID,
    bootID: facts.bootID,
    kernelVersion: facts.kernelVersion,
    osImage: facts.osImage,
    containerRuntimeVersion: runtimeVersion,
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: KUBELET_VERSION,
    operatingSystem: 'linux',
    architecture: facts.architecture,
  };
}

export function nodeLabels(name: string, facts: MachineFacts, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': facts.architecture,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': facts.architecture,
    ...extra,
  };
}

/** Whether two statuses differ in anything but heartbeat times (what decides an early status post). */
export function statusChanged(a: Node['status'] | undefined, b: Node['status']): boolean {
  const strip = (s: Node['status'] | undefined) =>
    JSON.stringify({ ...s, conditions: s?.conditions?.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })) });
  return strip(a) !== strip(b);
}
