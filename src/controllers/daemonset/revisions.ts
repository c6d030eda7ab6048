// The DaemonSet's current ControllerRevision: found by template, or recorded.
import { deepEqualJSON } from '../../api/meta.js';
import type { KubeClient } from '../../client/client.js';
import { isAlreadyExists } from '../../client/errors.js';
import { equalRevisions, maxRevision, newControllerRevision, REVISION_HASH_LABEL, revisionHash, templatePatch, type ControllerRevision } from '../workloads-shared/controller-revision.js';
import { ownerRefTo } from '../refmanager/claim.js';
import type { DaemonSet } from './types.js';

export class DaemonRevisionCollisionError extends Error {
  override name = 'DaemonRevisionCollisionError';
}

export async function currentDaemonRevision(client: KubeClient, ds: DaemonSet, owned: ControllerRevision[]): Promise<{ revision: ControllerRevision; hash: string }> {
  const data = templatePatch(ds.spec.template);
  const max = maxRevision(owned);
  const equal = equalRevisions(owned, data);
  if (equal.length > 0) {
    let rev = equal[equal.length - 1]!;
    if (rev.revision !== max) rev = (await client.controllerrevisions.update({ ...rev, revision: max + 1 })) as ControllerRevision;
    return { revision: rev, hash: revisionHash(rev, REVISION_HASH_LABEL) };
  }
  const collisionCount = ds.status?.collisionCount ?? 0;
  const rev = newControllerRevision({
    parent: ds,
    ownerRef: ownerRefTo(ds, 'apps/v1', 'DaemonSet'),
    labels: ds.spec.template.metadata?.labels ?? {},
    data,
    revision: max + 1,
    collisionCount,
    hashLabel: REVISION_HASH_LABEL,
  });
  try {
    const created = (await client.controllerrevisions.create(ds.metadata.namespace, rev)) as ControllerRevision;
    return { revision: created, hash: revisionHash(created, REVISION_HASH_LABEL) };
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = (await client.controllerrevisions.get(ds.metadata.namespace, rev.metadata.name ?? '')) as ControllerRevision;
    if (deepEqualJSON(existing.data, data)) return { revision: existing, hash: revisionHash(existing, REVISION_HASH_LABEL) };
    await client.daemonsets.updateStatus({ ...ds, status: { ...(ds.status ?? {}), collisionCount: collisionCount + 1 } });
    throw new DaemonRevisionCollisionError(`revision ${rev.metadata.name} collides; collisionCount now ${collisionCount + 1}`);
  }
}
