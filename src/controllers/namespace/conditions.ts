// The five conditions a terminating namespace reports, with upstream's
// reasons and messages.
import type { Condition } from '../../client/types.js';
import { rfc3339 } from '../replicaset/status.js';

export interface DeletionProgress {
  discoveryFailures: string[];
  deleteFailures: string[];
  /** "pods." style resource → instances still there. */
  remaining: Map<string, number>;
  /** finalizer → instances still holding it. */
  finalizers: Map<string, number>;
}

const OK = {
  NamespaceDeletionDiscoveryFailure: ['ResourcesDiscovered', 'All resources successfully discovered'],
  NamespaceDeletionGroupVersionParsingFailure: ['ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  NamespaceDeletionContentFailure: ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  NamespaceContentRemaining: ['ContentRemoved', 'All content successfully removed'],
  NamespaceFinalizersRemaining: ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
} as const;

const sortedEntries = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

export function namespaceConditions(p: DeletionProgress): Omit<Condition, 'lastTransitionTime'>[] {
  const failed: Record<string, [string, string] | undefined> = {
    NamespaceDeletionDiscoveryFailure: p.discoveryFailures.length ? ['DiscoveryFailed', `Discovery failed for some groups, ${p.discoveryFailures.length} failing: ${p.discoveryFailures.join(', ')}`] : undefined,
    NamespaceDeletionContentFailure: p.deleteFailures.length ? ['ContentDeletionFailed', `Failed to delete all resource types, ${p.deleteFailures.length} remaining: ${p.deleteFailures.join(', ')}`] : undefined,
    NamespaceContentRemaining: p.remaining.size
      ? ['SomeResourcesRemain', `Some resources are remaining: ${sortedEntries(p.remaining).map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}`]
      : undefined,
    NamespaceFinalizersRemaining: p.finalizers.size
      ? ['SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${sortedEntries(p.finalizers).map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}`]
      : undefined,
  };
  return (Object.keys(OK) as (keyof typeof OK)[]).map((type) => {
    const bad = failed[type];
    return bad ? { type, status: 'True', reason: bad[0], message: bad[1] } : { type, status: 'False', reason: OK[type][0], message: OK[type][1] };
  });
}

/** Merges new conditions into old ones, keeping transition times of those whose status did not change. */
export function mergeConditions(old: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime'>[], nowMs: number): Condition[] {
  return next.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(nowMs) };
  });
}
