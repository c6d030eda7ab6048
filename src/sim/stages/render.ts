// What a pod's status becomes when a stage applies: phase, conditions,
// container statuses, addresses and times, kept stable where the stage does
// not change them (transition times, container ids, start times).
import { createHash } from 'node:crypto';
import type { Container, Pod } from '../../client/types.js';
import { podQosClass } from '../../api/qos.js';
import { rfc3339 } from '../time-format.js';
import type { ContainerTemplate, StageNext } from './types.js';

export interface RenderContext {
  now: number;
  /** The node's InternalIP. */
  hostIP: string;
  /** A pod IP from the node's range; called only when the pod needs one. */
  allocatePodIP(): string | undefined;
}

type PodStatus = NonNullable<Pod['status']>;
type Condition = { type: string; status: string; reason?: string; message?: string; lastProbeTime: null; lastTransitionTime: string };
type ContainerState = {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string; containerID: string };
};
type ContainerStatus = {
  name: string; image: string; imageID: string; containerID?: string; ready: boolean; restartCount: number; started: boolean;
  state: ContainerState; lastState?: ContainerState;
};

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

function mergeConditions(existing: Condition[], wanted: NonNullable<StageNext['conditions']>, now: string): Condition[] {
  const out = existing.map((c) => ({ ...c }));
  for (const w of wanted) {
    const have = out.find((c) => c.type === w.type);
    const next: Condition = { type: w.type, status: w.status, lastProbeTime: null, lastTransitionTime: have && have.status === w.status ? have.lastTransitionTime : now };
    if (w.reason) next.reason = w.reason;
    if (w.message) next.message = w.message;
    if (have) out[out.indexOf(have)] = next;
    else out.push(next);
  }
  return out;
}

function exitCodeOf(pod: Pod, t: ContainerTemplate): number {
  const fromAnnotation = t.exitCodeFromAnnotation ? pod.metadata.annotations?.[t.exitCodeFromAnnotation] : undefined;
  if (fromAnnotation !== undefined && /^-?\d+$/.test(fromAnnotation.trim())) return Number(fromAnnotation.trim());
  if (t.exitCodeFromGrace) return (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0 ? 0 : 137;
  return t.exitCode ?? 0;
}

function terminatedState(pod: Pod, t: ContainerTemplate, startedAt: string, now: string, containerID: string): NonNullable<ContainerState['terminated']> {
  const exitCode = exitCodeOf(pod, t);
  return { exitCode, reason: t.reason ?? (exitCode === 0 ? 'Completed' : 'Error'), startedAt, finishedAt: now, containerID, ...(t.message ? { message: t.message } : {}) };
}

function containerStatus(pod: Pod, c: Container, prev: ContainerStatus | undefined, t: ContainerTemplate, now: string): ContainerStatus {
  const image = String(c.image ?? '');
  const base = { name: c.name, image, restartCount: prev?.restartCount ?? 0 };
  const containerID = prev?.containerID ?? `kubets-sim://${hex(`${pod.metadata.uid}/${c.name}`).slice(0, 64)}`;
  const imageID = `${image.split('@')[0]}@sha256:${hex(image)}`;
  const startedAt = prev?.state.running?.startedAt ?? prev?.state.terminated?.startedAt ?? now;
  switch (t.state) {
    case 'waiting': {
      const waiting: { reason?: string; message?: string } = {};
      if (t.reason) waiting.reason = t.reason;
      if (t.message) waiting.message = t.message;
      return { ...base, imageID: '', ready: false, started: false, state: { waiting } };
    }
    case 'running':
      return { ...base, imageID, containerID, ready: t.ready ?? true, started: true, state: { running: { startedAt } } };
    case 'terminated': {
      if (prev?.state.terminated) return { ...prev, ready: false, started: false };
      return { ...base, imageID, containerID, ready: false, started: false, state: { terminated: terminatedState(pod, t, startedAt, now, containerID) } };
    }
    case 'restarted': {
      // The kubelet starts a new container (new id) and keeps the last one's end in lastState.
      const restartCount = base.restartCount + 1;
      const lastState = { terminated: terminatedState(pod, t, startedAt, now, containerID) };
      const newID = `kubets-sim://${hex(`${pod.metadata.uid}/${c.name}/${restartCount}`).slice(0, 64)}`;
      return { ...base, restartCount, imageID, containerID: newID, ready: t.ready ?? true, started: true, state: { running: { startedAt: now } }, lastState };
    }
  }
}

/** Init containers have run to completion once the app containers start. */
function initStatus(pod: Pod, c: Container, prev: ContainerStatus | undefined, t: ContainerTemplate, now: string): ContainerStatus {
  if (t.state === 'waiting') return containerStatus(pod, c, prev, { state: 'waiting', reason: 'PodInitializing' }, now);
  return containerStatus(pod, c, prev, { state: 'terminated', exitCode: 0, reason: 'Completed' }, now);
}

/** The pod's status after `next` applies (a new object; the pod is not modified). */
export function renderPodStatus(pod: Pod, next: StageNext, ctx: RenderContext): PodStatus {
  const now = rfc3339(ctx.now);
  const old = (pod.status ?? {}) as PodStatus & { conditions?: Condition[]; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
  const status: PodStatus = structuredClone(old);
  status.phase = next.phase ?? old.phase ?? 'Pending';
  if (next.conditions) status.conditions = mergeConditions(old.conditions ?? [], next.conditions, now);
  const t = next.containers;
  if (t) {
    const byName = (list: ContainerStatus[] | undefined) => new Map((list ?? []).map((s) => [s.name, s]));
    const prevApp = byName(old.containerStatuses);
    const prevInit = byName(old.initContainerStatuses);
    status.containerStatuses = (pod.spec?.containers ?? []).map((c) => containerStatus(pod, c, prevApp.get(c.name), t, now));
    const inits = pod.spec?.initContainers ?? [];
    if (inits.length > 0) status.initContainerStatuses = inits.map((c) => initStatus(pod, c, prevInit.get(c.name), t, now));
  }
  if (next.setStartTime || next.assignNetwork) {
    status.startTime ??= now;
    status.hostIP = ctx.hostIP;
    status.hostIPs = [{ ip: ctx.hostIP }];
  }
  if (next.assignNetwork && !old.podIP) {
    const ip = pod.spec?.hostNetwork === true ? ctx.hostIP : ctx.allocatePodIP();
    if (ip) {
      status.podIP = ip;
      status.podIPs = [{ ip }];
    }
  }
  status.qosClass ??= podQosClass(pod.spec);
  return status;
}
