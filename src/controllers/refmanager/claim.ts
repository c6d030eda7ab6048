// Adoption and release by controllerRef, as upstream's ControllerRefManager:
// a controller owns the objects whose controller ownerReference names it; it
// adopts orphans its selector matches and releases owned objects it no longer
// matches. Objects owned by another controller are never touched.
import { matchesLabels, type LabelSelector } from '../../api/labels.js';
import { controllerRef, type KubeObject, type OwnerReference } from '../../api/meta.js';
import { isNotFound, isInvalid } from '../../client/errors.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { OWNER_UID_INDEX, type IndexFunc, type Store } from '../../client/store.js';

export class CannotAdoptError extends Error {
  override name = 'CannotAdoptError';
}

/** The ownerReference a controller puts on what it creates or adopts. */
export function ownerRefTo(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions {
  owner: KubeObject;
  ownerRef: OwnerReference;
  selector: LabelSelector;
  /**
   * Confirms with a fresh read that the owner may still adopt (same uid, not
   * being deleted); called at most once per claim, only when adopting.
   */
  recheck: () => Promise<void>;
}

/**
 * Strategic-merge patches that add or remove one ownerReference (merge key
 * uid). The resourceVersion makes them apply only to the version we judged
 * (a recreated object of the same name, or a relabelled one, gets a 409).
 */
export function adoptPatch(ref: OwnerReference, obj: KubeObject): unknown {
  return { metadata: { ownerReferences: [ref], uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } };
}
export function releasePatch(ownerUid: string, obj: KubeObject): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } };
}

/** Objects without a controller ownerReference, by namespace: the ones an owner may adopt. */
export const ORPHAN_INDEX = 'orphan-namespace';
const orphanIndexFunc: IndexFunc<KubeObject> = (o) => (controllerRef(o) ? [] : [o.metadata.namespace ?? '']);

/**
 * The candidates claimObjects needs for `owner`, from indexes rather than a
 * scan of the namespace: what references the owner, plus the namespace's
 * orphans. Objects another controller owns could only be ignored anyway.
 */
export function claimCandidates<T extends KubeObject>(store: Store<T>, owner: KubeObject): T[] {
  if (!store.hasIndexer(ORPHAN_INDEX)) store.addIndexer(ORPHAN_INDEX, orphanIndexFunc as IndexFunc<T>);
  const ns = owner.metadata.namespace ?? '';
  const referencing = store.byIndex(OWNER_UID_INDEX, owner.metadata.uid ?? '').filter((o) => (o.metadata.namespace ?? '') === ns);
  const orphans = store.byIndex(ORPHAN_INDEX, ns);
  if (!orphans.length) return referencing;
  // An orphan can also reference the owner without being its controller.
  const seen = new Set(referencing);
  return [...referencing, ...orphans.filter((o) => !seen.has(o))];
}

/** What to do with one candidate: keep, adopt, release or ignore. Pure. */
export function claimDecision(obj: KubeObject, owner: KubeObject, selector: LabelSelector): 'keep' | 'adopt' | 'release' | 'ignore' {
  const ref = controllerRef(obj);
  const matches = matchesLabels(selector, obj.metadata.labels);
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (matches) return 'keep';
    // Being deleted ourselves, or the object is going: leave it be.
    if (owner.metadata.deletionTimestamp || obj.metadata.deletionTimestamp) return 'ignore';
    return 'release';
  }
  if (!matches || owner.metadata.deletionTimestamp || obj.metadata.deletionTimestamp) return 'ignore';
  return 'adopt';
}

/**
 * The candidates this owner controls after adopting and releasing. Errors
 * other than "gone" are collected and thrown after every candidate was tried.
 */
export async function claimObjects<T extends KubeObject>(candidates: T[], client: ResourceClient<T>, opts: ClaimOptions): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let recheck: Promise<void> | undefined;
  for (const obj of candidates) {
    const decision = claimDecision(obj, opts.owner, opts.selector);
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name ?? '';
    try {
      if (decision === 'keep') claimed.push(obj);
      else if (decision === 'adopt') {
        recheck ??= opts.recheck();
        await recheck;
        const adopted = await client.patch<T>(ns, name, adoptPatch(opts.ownerRef, obj), 'strategic');
        claimed.push(adopted);
      } else if (decision === 'release') {
        await client.patch(ns, name, releasePatch(opts.owner.metadata.uid ?? '', obj), 'strategic');
      }
    } catch (err) {
      if (err instanceof CannotAdoptError) {
        if (!errors.includes(err)) errors.push(err);
        continue;
      }
      // Gone, or already changed so the patch no longer applies: nothing to claim.
      if (!isNotFound(err) && !isInvalid(err)) errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

/** The usual recheck: a fresh GET of the owner, which must be the same object and not being deleted. */
export function recheckOwner(client: { get(ns: string | undefined, name: string): Promise<KubeObject> }, owner: KubeObject): () => Promise<void> {
  return async () => {
    const { namespace, name, uid } = owner.metadata;
    let fresh: KubeObject;
    try {
      fresh = await client.get(namespace, name ?? '');
    } catch (err) {
      if (isNotFound(err)) throw new CannotAdoptError(`${namespace}/${name} is gone`);
      throw err;
    }
    if (fresh.metadata.uid !== uid) throw new CannotAdoptError(`original ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
    if (fresh.metadata.deletionTimestamp) throw new CannotAdoptError(`${namespace}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}
