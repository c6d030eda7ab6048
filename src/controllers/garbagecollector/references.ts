// Pure pieces of garbage collection: how an object's owners stand, and the
// patches that drop owner references or finalizers.
import type { KubeObject, OwnerReference } from '../../api/meta.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** What is known about one owner. */
export type OwnerState = 'absent' | 'deletingDependents' | 'present';

export interface Classified {
  /** Owners that exist and are not waiting for their dependents. */
  solid: OwnerReference[];
  /** Owners that do not exist (or exist with another uid). */
  dangling: OwnerReference[];
  /** Owners being deleted in the foreground: they wait for this object. */
  waiting: OwnerReference[];
}

export function classify(refs: OwnerReference[], stateOf: (ref: OwnerReference) => OwnerState): Classified {
  const out: Classified = { solid: [], dangling: [], waiting: [] };
  for (const ref of refs) {
    const s = stateOf(ref);
    if (s === 'absent') out.dangling.push(ref);
    else if (s === 'deletingDependents') out.waiting.push(ref);
    else out.solid.push(ref);
  }
  return out;
}

export const hasFinalizer = (obj: KubeObject, f: string): boolean => (obj.metadata.finalizers ?? []).includes(f);

/** Being deleted in the foreground: it waits until its blocking dependents are gone. */
export const isDeletingDependents = (obj: KubeObject): boolean => Boolean(obj.metadata.deletionTimestamp) && hasFinalizer(obj, FOREGROUND_FINALIZER);

/** The delete policy for an object with no solid owner: the finalizers it already has decide. */
export function deletePolicyFor(obj: KubeObject): 'Orphan' | 'Foreground' | 'Background' {
  if (hasFinalizer(obj, ORPHAN_FINALIZER)) return 'Orphan';
  if (hasFinalizer(obj, FOREGROUND_FINALIZER)) return 'Foreground';
  return 'Background';
}

/**
 * A JSON merge patch that leaves out the owner references with these uids;
 * guarded by resourceVersion, so a concurrent change makes it fail (and retry).
 */
export function removeOwnersPatch(obj: KubeObject, uids: Set<string>): unknown {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
  return { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: obj.metadata.resourceVersion } };
}

/** A JSON merge patch without one finalizer, guarded by resourceVersion. */
export function removeFinalizerPatch(obj: KubeObject, finalizer: string): unknown {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return { metadata: { finalizers: rest.length ? rest : null, resourceVersion: obj.metadata.resourceVersion } };
}

/** Dependents whose reference to `ownerUid` blocks the owner's foreground deletion. */
export const blocksOwner = (dep: KubeObject, ownerUid: string): boolean =>
  (dep.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true);
