// The seams inside the kubelet, so that its parts (pod lifecycle, volumes,
// container configuration, the HTTPS API) are built and tested apart.
import type { Pod, Container } from '../api/core-v1.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.js';

/** Labels and annotations the kubelet puts on CRI sandboxes and containers (upstream's names). */
export const CRI_LABELS = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** Marks objects this agent made, so it never touches anything else in the runtime. */
  managedBy: 'io.kubets.managed',
} as const;

export const CRI_ANNOTATIONS = {
  containerHash: 'io.kubernetes.container.hash',
  restartCount: 'io.kubernetes.container.restartCount',
  terminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  terminationMessagePolicy: 'io.kubernetes.container.terminationMessagePolicy',
  podTerminationGracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
  preStopHandler: 'io.kubernetes.container.preStopHandler',
  containerPorts: 'io.kubernetes.container.ports',
  /** "init" | "regular": lets a restarted agent tell init containers apart. */
  containerType: 'io.kubets.container.type',
  /** Host path of the file mounted at the container's terminationMessagePath (the kubelet reads the message there). */
  terminationLogHostPath: 'io.kubets.container.terminationLogHostPath',
} as const;

/** Where a pod's volumes live on the node: volume name → host directory or file. */
export type VolumePaths = Map<string, string>;

/**
 * Prepares and removes a pod's volumes. setUp is idempotent and is called on
 * every sync, so that configMap/secret/downwardAPI/projected contents follow
 * the objects they come from (updated in place, atomically, as upstream).
 */
export interface VolumeManager {
  setUp(pod: Pod): Promise<VolumePaths>;
  /** Removes everything the pod's volumes hold on the node (not hostPath contents, not PV data). */
  tearDown(podUid: string): Promise<void>;
  /** Pod UIDs that have volume directories on the node (for clean-up after restarts). */
  listPodDirs(): Promise<string[]>;
}

export interface SandboxContext {
  /** Sandbox attempt number (bumped when a sandbox is recreated). */
  attempt: number;
}

export interface ContainerContext {
  podIP: string;
  podIPs: string[];
  hostIP: string;
  volumes: VolumePaths;
  restartCount: number;
  /** "init" or "regular" */
  type: 'init' | 'regular';
}

/** Turns pod specs into CRI configs: hostname, DNS, ports, cgroups, env, mounts, security, resources. */
export interface RuntimeConfigBuilder {
  sandboxConfig(pod: Pod, ctx: SandboxContext): Promise<PodSandboxConfig>;
  containerConfig(pod: Pod, container: Container, ctx: ContainerContext): Promise<ContainerConfig>;
  /** Host file the container's termination message is written to (also in annotation terminationLogHostPath). */
  terminationLogPath?(podUid: string, containerName: string, restartCount: number): string;
  /** Removes what the builder made for a pod on the node (pod cgroup, /etc/hosts, termination logs) once the pod is gone. */
  releasePod?(podUid: string): Promise<void>;
}

/** A change in a pod's containers the kubelet noticed (PLEG-like): resync that pod now. */
export type PodEventSink = (podUid: string) => void;
