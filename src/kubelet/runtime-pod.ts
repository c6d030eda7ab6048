// A pod as the runtime sees it: its sandboxes and containers, read back from
// CRI labels and annotations alone, so a restarted agent knows everything it
// needs (restart counts, spec hashes, container types) without local state.
import type { ContainerState, ContainerStatus as CriContainerStatus, PodSandboxState, PodSandboxStatus, RuntimeService } from '../cri/types.js';
import { CRI_ANNOTATIONS, CRI_LABELS } from './seams.js';

export interface RuntimeSandbox {
  id: string;
  state: PodSandboxState;
  attempt: number;
  createdAt: number;
  ip: string;
  additionalIps: string[];
}

export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  state: ContainerState;
  /** Times in ms since the epoch; 0 when unset. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  hash: string;
  restartCount: number;
  type: 'init' | 'regular';
  terminationGracePeriod: number | undefined;
  logPath: string;
  /** host path → container path of its mounts (to find the termination message file). */
  mounts: { hostPath: string; containerPath: string }[];
  annotations: Record<string, string>;
}

export interface RuntimePod {
  uid: string;
  name: string;
  namespace: string;
  /** Newest first. */
  sandboxes: RuntimeSandbox[];
  /** Newest first. */
  containers: RuntimeContainer[];
}

const nsToMs = (ns: string | undefined): number => (ns && ns !== '0' ? Number(BigInt(ns) / 1_000_000n) : 0);

export function toRuntimeContainer(s: CriContainerStatus, sandboxId: string): RuntimeContainer {
  const a = s.annotations ?? {};
  const grace = a[CRI_ANNOTATIONS.podTerminationGracePeriod];
  return {
    id: s.id,
    sandboxId,
    name: s.labels?.[CRI_LABELS.containerName] ?? s.metadata.name,
    attempt: s.metadata.attempt,
    state: s.state,
    createdAt: nsToMs(s.created_at),
    startedAt: nsToMs(s.started_at),
    finishedAt: nsToMs(s.finished_at),
    exitCode: s.exit_code,
    reason: s.reason,
    message: s.message,
    image: s.image?.image ?? '',
    imageRef: s.image_ref,
    hash: a[CRI_ANNOTATIONS.containerHash] ?? '',
    restartCount: Number(a[CRI_ANNOTATIONS.restartCount] ?? s.metadata.attempt) || 0,
    type: a[CRI_ANNOTATIONS.containerType] === 'init' ? 'init' : 'regular',
    terminationGracePeriod: grace !== undefined && grace !== '' ? Number(grace) : undefined,
    logPath: s.log_path,
    mounts: (s.mounts ?? []).map((m) => ({ hostPath: m.host_path, containerPath: m.container_path })),
    annotations: a,
  };
}

function toRuntimeSandbox(s: Pick<PodSandboxStatus, 'id' | 'state' | 'metadata' | 'created_at' | 'network'>): RuntimeSandbox {
  return { id: s.id, state: s.state, attempt: s.metadata.attempt, createdAt: nsToMs(s.created_at), ip: s.network?.ip ?? '', additionalIps: (s.network?.additional_ips ?? []).map((x) => x.ip) };
}

/** One sandbox by ID, read with a single status call (undefined when gone). */
export async function readRuntimeSandbox(runtime: RuntimeService, id: string): Promise<RuntimeSandbox | undefined> {
  const st = await runtime.podSandboxStatus(id);
  return st ? toRuntimeSandbox(st) : undefined;
}

/** Everything the runtime holds for one pod UID (only objects this agent made). */
export async function readRuntimePod(runtime: RuntimeService, uid: string): Promise<RuntimePod> {
  const selector = { [CRI_LABELS.podUid]: uid, [CRI_LABELS.managedBy]: 'true' };
  const [sandboxes, containers] = await Promise.all([runtime.listPodSandbox({ label_selector: selector }), runtime.listContainers({ label_selector: selector })]);
  const pod: RuntimePod = { uid, name: '', namespace: '', sandboxes: [], containers: [] };
  for (const s of sandboxes) {
    pod.name ||= s.metadata.name;
    pod.namespace ||= s.metadata.namespace;
    // Only a ready sandbox has an address worth a status call.
    const st = s.state === 'SANDBOX_READY' ? await runtime.podSandboxStatus(s.id).catch(() => null) : null;
    pod.sandboxes.push(toRuntimeSandbox(st ?? { ...s, network: null }));
  }
  pod.sandboxes.sort((a, b) => b.createdAt - a.createdAt || b.attempt - a.attempt);
  for (const c of containers) {
    const st = await runtime.containerStatus(c.id).catch(() => null);
    if (!st) continue;
    pod.containers.push(toRuntimeContainer({ ...st, labels: { ...c.labels, ...st.labels } }, c.pod_sandbox_id));
  }
  pod.containers.sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount);
  return pod;
}

/** The newest container of a name and type (undefined when it never ran). */
export function latestContainer(pod: RuntimePod, name: string, type: 'init' | 'regular'): RuntimeContainer | undefined {
  return pod.containers.find((c) => c.name === name && c.type === type);
}

/** The newest containers of a name, newest first. */
export function containersOf(pod: RuntimePod, name: string, type: 'init' | 'regular'): RuntimeContainer[] {
  return pod.containers.filter((c) => c.name === name && c.type === type);
}

export const isRunning = (c: RuntimeContainer | undefined): boolean => c?.state === 'CONTAINER_RUNNING';
export const isExited = (c: RuntimeContainer | undefined): boolean => c?.state === 'CONTAINER_EXITED' || c?.state === 'CONTAINER_UNKNOWN';
