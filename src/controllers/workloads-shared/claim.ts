// Adoption and release, as upstream's ControllerRefManager: a controller
// owns the objects it created plus orphans its selector matches (adopted),
// and lets go of owned objects its selector no longer matches (released).
import { labelSelectorFromObject, matchesLabels, type LabelSelectorObject } from '../../api/labels.js';
import { controllerRef, type KubeObject, type OwnerReference } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import type { ResourceClient } from '../../client/resource-client.js';

export interface ClaimPlan<T extends KubeObject> {
  /** Objects the owner controls (before adoption). */
  owned: T[];
  adopt: T[];
  release: T[];
}

/** Pure part: sorts `candidates` (same namespace as the owner) into owned/adopt/release. */
export function planClaims<T extends KubeObject>(owner: KubeObject, selector: LabelSelectorObject | undefined, candidates: T[]): ClaimPlan<T> {
  const sel = labelSelectorFromObject(selector);
  const uid = owner.metadata.uid;
  const ownerDeleting = owner.metadata.deletionTimestamp != null;
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  for (const obj of candidates) {
    const ref = controllerRef(obj);
    const matches = matchesLabels(sel, obj.metadata.labels);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches || ownerDeleting) plan.owned.push(obj);
      else if (!obj.metadata.deletionTimestamp) plan.release.push(obj);
    } else if (matches && !ownerDeleting && !obj.metadata.deletionTimestamp) {
      plan.adopt.push(obj);
    }
  }
  return plan;
}

/** Adopts and releases through the API; returns what the owner controls afterwards. */
export async function applyClaims<T extends KubeObject>(client: ResourceClient<T>, ownerRef: OwnerReference, plan: ClaimPlan<T>): Promise<T[]> {
  const owned = [...plan.owned];
  for (const obj of plan.adopt) {
    const refs = [...(obj.metadata.ownerReferences ?? []), ownerRef];
    try {
      // metadata.uid makes the patch fail if the name now belongs to another object.
      owned.push(await client.patch(obj.metadata.namespace, obj.metadata.name ?? '', { metadata: { ownerReferences: refs, uid: obj.metadata.uid } }, 'merge'));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  for (const obj of plan.release) {
    const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerRef.uid);
    try {
      await client.patch(obj.metadata.namespace, obj.metadata.name ?? '', { metadata: { ownerReferences: refs.length > 0 ? refs : null, uid: obj.metadata.uid } }, 'merge');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return owned;
}
