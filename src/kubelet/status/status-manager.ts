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

  /** Last status this agent wrote for the object with this UID. */
  lastWritten(uid: string): PodStatus | undefined {
    return this.written.get(uid);
  }

  /** Writes `status` to the pod object `target` unless it already says so. Returns the status written or kept. */
  async setStatus(target: Pod, status: PodStatus): Promise<PodStatus> {
    const uid = target.metadata.uid!;
    const current = this.written.get(uid) ?? target.status;
    if (terminal(current?.phase) && !terminal(status.phase)) status = { ...status, phase: current!.phase };
    if (deepEqualJSON(target.status ?? {}, status) || deepEqualJSON(this.written.get(uid), status)) {
      this.written.set(uid, status);
      return status;
    }
    try {
      await this.client.pods.patch(target.metadata.namespace, target.metadata.name!, { status }, 'merge', { subresource: 'status' });
      this.written.set(uid, status);
      this.log.debug('pod status written', { pod: `${target.metadata.namespace}/${target.metadata.name}`, phase: status.phase });
    } catch (err) {
      if (isNotFound(err)) return status;
      throw err;
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
  }
}
