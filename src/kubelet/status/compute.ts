// PodStatus from the pod's spec, what the runtime holds, the probes and the
// last sync's per-container errors, by upstream's rules: container states and
// last states, the phase, and conditions whose lastTransitionTime only moves
// when their status does.
import type { Container, ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodStatus } from '../../api/core-v1.js';
import { rfc3339 } from '../../api/time.js';
import { podQosClass } from '../../api/qos.js';
import { containersOf, type RuntimeContainer, type RuntimePod } from '../runtime-pod.js';

export interface Waiting {
  reason: string;
  message?: string;
}

export interface StatusInput {
  pod: Pod;
  rt: RuntimePod;
  now: number;
  hostIPs: string[];
  probes: { ready(containerId: string): boolean; started(containerId: string): boolean };
  /** Errors of the last sync, keyed `${type}/${name}` (CrashLoopBackOff, ErrImagePull, ...). */
  waiting: Map<string, Waiting>;
  /** Termination messages read for exited containers, by container ID. */
  messages?: Map<string, string>;
  /** "containerd": the scheme of containerIDs. */
  runtimeName?: string;
  /** Pod-level failure to report (DeadlineExceeded). */
  failure?: { reason: string; message: string };
  /** The pod was terminated for good (deleted): nothing restarts, so the phase is final. */
  terminal?: boolean;
}

export const waitingKey = (type: 'init' | 'regular', name: string) => `${type}/${name}`;

function terminatedOf(c: RuntimeContainer, input: StatusInput): ContainerStateTerminated {
  const t: ContainerStateTerminated = {
    exitCode: c.exitCode,
    reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
    startedAt: c.startedAt ? rfc3339(c.startedAt) : undefined,
    finishedAt: c.finishedAt ? rfc3339(c.finishedAt) : undefined,
    containerID: `${input.runtimeName ?? 'containerd'}://${c.id}`,
  };
  const msg = input.messages?.get(c.id) || c.message;
  if (msg) t.message = msg;
  if (!t.startedAt) delete t.startedAt;
  if (!t.finishedAt) delete t.finishedAt;
  return t;
}

function containerStatus(spec: Container, type: 'init' | 'regular', defaultWaiting: string, input: StatusInput): ContainerStatus {
  const list = containersOf(input.rt, spec.name, type);
  const latest = list[0];
  const prev = list[1];
  const override = input.waiting.get(waitingKey(type, spec.name));
  const st: ContainerStatus = { name: spec.name, state: {}, lastState: {}, ready: false, restartCount: latest?.restartCount ?? 0, image: spec.image ?? '', imageID: latest?.imageRef ?? '', started: false };
  const exited = (c: RuntimeContainer | undefined) => !!c && (c.state === 'CONTAINER_EXITED' || c.state === 'CONTAINER_UNKNOWN');
  const waiting = (w: Waiting): ContainerState => ({ waiting: w.message ? { reason: w.reason, message: w.message } : { reason: w.reason } });
  if (!latest) {
    st.state = waiting(override ?? { reason: defaultWaiting });
  } else {
    st.containerID = `${input.runtimeName ?? 'containerd'}://${latest.id}`;
    if (latest.state === 'CONTAINER_RUNNING') {
      st.state = { running: { startedAt: rfc3339(latest.startedAt || latest.createdAt) } };
      if (exited(prev)) st.lastState = { terminated: terminatedOf(prev!, input) };
      st.started = input.probes.started(latest.id);
      st.ready = input.probes.ready(latest.id);
    } else if (exited(latest)) {
      if (override) {
        st.state = waiting(override);
        st.lastState = { terminated: terminatedOf(latest, input) };
      } else {
        st.state = { terminated: terminatedOf(latest, input) };
        if (exited(prev)) st.lastState = { terminated: terminatedOf(prev!, input) };
      }
    } else {
      st.state = waiting(override ?? { reason: 'ContainerCreating' });
    }
  }
  return st;
}

const isSidecar = (c: Container) => c.restartPolicy === 'Always';

/** upstream's getPhase */
export function podPhase(pod: Pod, init: ContainerStatus[], regular: ContainerStatus[], terminal = false): NonNullable<PodStatus['phase']> {
  const policy = pod.spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  (pod.spec.initContainers ?? []).forEach((c, i) => {
    if (isSidecar(c)) return;
    const s = init[i]?.state;
    if (s?.terminated) {
      if (s.terminated.exitCode !== 0) failedInit++;
    } else if (s?.waiting && init[i]?.lastState?.terminated && init[i]!.lastState!.terminated!.exitCode !== 0) {
      failedInit++;
    } else {
      pendingInit++;
    }
  });
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting && s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (terminal) return regular.length > 0 && succeeded === regular.length ? 'Succeeded' : 'Failed';
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || failedInit > 0) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(old: PodCondition[] | undefined, now: number, c: Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>): PodCondition {
  const prev = old?.find((o) => o.type === c.type);
  const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now) };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

export function computePodStatus(input: StatusInput): PodStatus {
  const { pod, rt, now } = input;
  const old = pod.status ?? {};
  const initSpecs = pod.spec.initContainers ?? [];
  const initStatuses = initSpecs.map((c) => containerStatus(c, 'init', 'PodInitializing', input));
  const initDone = initSpecs.every((c, i) => isSidecar(c) || initStatuses[i]!.state?.terminated?.exitCode === 0);
  const statuses = pod.spec.containers.map((c) => containerStatus(c, 'regular', initDone ? 'ContainerCreating' : 'PodInitializing', input));

  let phase = podPhase(pod, initStatuses, statuses, input.terminal);
  if (input.failure) phase = 'Failed';
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;

  const sandbox = rt.sandboxes[0];
  const hostNetwork = !!pod.spec.hostNetwork;
  const sandboxReady = sandbox?.state === 'SANDBOX_READY';
  const podIPs = hostNetwork ? (sandboxReady ? input.hostIPs : []) : sandboxReady && sandbox.ip ? [sandbox.ip, ...sandbox.additionalIps] : [];

  const incompleteInit = initSpecs.filter((c, i) => !isSidecar(c) && initStatuses[i]!.state?.terminated?.exitCode !== 0).map((c) => c.name);
  const unready = pod.spec.containers.filter((_, i) => !statuses[i]!.ready).map((c) => c.name);
  const ready: Omit<PodCondition, 'lastTransitionTime'> =
    phase === 'Succeeded'
      ? { type: '', status: 'False', reason: 'PodCompleted' }
      : unready.length === 0
        ? { type: '', status: 'True' }
        : { type: '', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const oldConds = old.conditions;
  const conditions: PodCondition[] = [
    condition(oldConds, now, { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' }),
    condition(oldConds, now, incompleteInit.length === 0 ? { type: 'Initialized', status: 'True' } : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incompleteInit.join(' ')}]` }),
    condition(oldConds, now, { ...ready, type: 'Ready' }),
    condition(oldConds, now, { ...ready, type: 'ContainersReady' }),
    condition(oldConds, now, { type: 'PodScheduled', status: 'True' }),
  ];
  for (const c of oldConds ?? []) if (!conditions.some((x) => x.type === c.type)) conditions.push(c);

  const status: PodStatus = {
    ...old,
    phase,
    conditions,
    hostIP: input.hostIPs[0],
    hostIPs: input.hostIPs.map((ip) => ({ ip })),
    startTime: old.startTime ?? rfc3339(now),
    containerStatuses: statuses,
    qosClass: podQosClass(pod.spec as Parameters<typeof podQosClass>[0]),
  };
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  } else if (!old.podIP) {
    delete status.podIP;
    delete status.podIPs;
  }
  if (input.failure) {
    status.reason = input.failure.reason;
    status.message = input.failure.message;
  }
  return status;
}
