// Finds or records the StatefulSet's update revision, and picks its current one.
import { deepEqualJSON } from '../../api/meta.js';
import type { KubeClient } from '../../client/client.js';
import { isAlreadyExists } from '../../client/errors.js';
import {
  CONTROLLER_HASH_LABEL, equalRevisions, maxRevision, newControllerRevision, templatePatch, type ControllerRevision,
} from '../workloads-shared/controller-revision.js';
import { ownerRefTo } from '../refmanager/claim.js';
import type { StatefulSet } from './types.js';

export class RevisionCollisionError extends Error {
  override name = 'RevisionCollisionError';
}

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
}

/** Ensures a revision for the set's template exists (and is the newest) and returns current/update. */
export async function syncRevisions(client: KubeClient, set: StatefulSet, owned: ControllerRevision[]): Promise<SetRevisions> {
  const data = templatePatch(set.spec.template);
  const max = maxRevision(owned);
  const equal = equalRevisions(owned, data);
  let update: ControllerRevision;
  if (equal.length > 0) {
    update = equal[equal.length - 1]!;
    if (update.revision !== max) {
      // Rolling back to an older template makes its revision the newest again.
      update = (await client.controllerrevisions.update({ ...update, revision: max + 1 })) as ControllerRevision;
    }
  } else {
    const collisionCount = set.status?.collisionCount ?? 0;
    const rev = newControllerRevision({
      parent: set,
      ownerRef: ownerRefTo(set, 'apps/v1', 'StatefulSet'),
      labels: set.spec.template.metadata?.labels ?? {},
      data,
      revision: max + 1,
      collisionCount,
      hashLabel: CONTROLLER_HASH_LABEL,
    });
    try {
      update = (await client.controllerrevisions.create(set.metadata.namespace, rev)) as ControllerRevision;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = (await client.controllerrevisions.get(set.metadata.namespace, rev.metadata.name ?? '')) as ControllerRevision;
      if (!deepEqualJSON(existing.data, data)) {
        // A different template hashed to the same name: bump collisionCount and try again.
        const next = { ...set, status: { ...(set.status ?? { replicas: 0 }), collisionCount: collisionCount + 1 } };
        await client.statefulsets.updateStatus(next);
        throw new RevisionCollisionError(`revision ${rev.metadata.name} collides; collisionCount now ${collisionCount + 1}`);
      }
      update = existing;
    }
  }
  const current = owned.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update };
}
