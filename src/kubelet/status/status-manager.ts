// Writes pods/status when it changed, never taking a terminal phase back,
// and deletes a terminated pod's object (grace 0, UID precondition): that is
// what finally removes a gracefully deleted pod from the API.
import type { Pod, PodStatus } from '../../api/core-v1.js';
import { deepEqualJSON } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/client.js';
import type { Logger } from '../../util/log.js';

const terminal = (p: PodStatus['phase']) => p === 'Succeeded' || p === 'Failed';

export class StatusManager {
  /** Last status written per pod object (keyed by the UID of the object written). */
  private readonly written = new Map<string, PodStatus>();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
  ) {}

  /** Statuses being written right now (their watch event may come before the write returns). */
  private readonly inFlight = new Map<string, PodStatus>();

  /** Last status this agent wrote for the object with this UID. */
  lastWritten(uid: string): PodStatus | undefined {
    return this.written.get(uid);
  }

  /** True when `status` is what this agent wrote (or is writing) for the object with this UID. */
  isOwnWrite(uid: string, status: PodStatus | undefined): boolean {
    return deepEqualJSON(this.written.get(uid), status) || deepEqualJSON(this.inFlight.get(uid), status);
  }

  /** Writes `status` to the pod object `target` unless it already says so. Returns the status written or kept. */
  async setStatus(target: Pod, status: PodStatus): Promise<PodStatus> {
    const uid = target.metadata.uid!;
    const current = this.written.get(uid) ?? target.status;
    if (terminal(current?.phase) && !terminal(status.phase)) status = { ...status, phase: current!.phase };
    // Compared with the object as the API has it, not with our last write: a
    // status someone else changed (Ready=False from the node lifecycle
    // controller) is written back. A target that lags our own write costs one
    // patch that changes nothing.
    if (deepEqualJSON(target.status ?? {}, status)) {
      this.written.set(uid, status);
      return status;
    }
    this.inFlight.set(uid, status);
    try {
      await this.client.pods.patch(target.metadata.namespace, target.metadata.name!, { status }, 'merge', { subresource: 'status' });
      this.written.set(uid, status);
      this.log.debug('pod status written', { pod: `${target.metadata.namespace}/${target.metadata.name}`, phase: status.phase });
    } catch (err) {
      if (isNotFound(err)) return status;
      throw err;
    } finally {
      if (this.inFlight.get(uid) === status) this.inFlight.delete(uid);
    }
    return status;
  }

  /** Removes the pod object once everything of it on the node is gone. */
  async deletePod(pod: Pod): Promise<void> {
    try {
      await this.client.pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      this.log.info('pod deleted from the API', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.written.delete(pod.metadata.uid!);
  }

  forget(uid: string): void {
    this.written.delete(uid);
    this.inFlight.delete(uid);
  }
}
