// The steps after a node is chosen, for the integrator's loop: assume the
// pod in the cache and run Reserve (synchronously, before the next cycle),
// then Permit/PreBind/Bind asynchronously, undoing everything on failure.
import type { SchedulerCache } from './cache/cache.js';
import type { PodInfo } from './cache/pod-info.js';
import type { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import { Status } from './framework/status.js';

/** Assumes the pod on `nodeName` and runs Reserve; on failure nothing stays assumed. */
export function assumeAndReserve(cache: SchedulerCache, fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): Status {
  try {
    cache.assumePod(pod.pod, nodeName);
  } catch (e) {
    return Status.error(e);
  }
  const st = fw.runReservePluginsReserve(state, pod, nodeName);
  if (!st.isSuccess()) {
    fw.runReservePluginsUnreserve(state, pod, nodeName);
    cache.forgetPod(pod.pod);
  }
  return st;
}

/**
 * Permit, PreBind, Bind and PostBind. A `Wait` from Permit is treated as a
 * rejection (waiting pods are not supported yet). On failure the pod is
 * unreserved and forgotten, so the caller only has to requeue it.
 */
export async function bindingCycle(cache: SchedulerCache, fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
  const fail = (st: Status): Status => {
    fw.runReservePluginsUnreserve(state, pod, nodeName);
    cache.forgetPod(pod.pod);
    return st;
  };
  const permit = fw.runPermitPlugins(state, pod, nodeName);
  if (permit.status.code === 'Wait') return fail(Status.unschedulable('waiting on permit is not supported'));
  if (!permit.status.isSuccess()) return fail(permit.status);
  const pre = await fw.runPreBindPlugins(state, pod, nodeName);
  if (!pre.isSuccess()) return fail(pre);
  const bound = await fw.runBindPlugins(state, pod, nodeName);
  if (!bound.isSuccess()) return fail(bound);
  cache.finishBinding(pod.pod);
  fw.runPostBindPlugins(state, pod, nodeName);
  return Status.SUCCESS;
}
