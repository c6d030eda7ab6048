// Reasoning over a Deployment's ReplicaSets: which one is new, which are old,
// their orderings and replica sums, as upstream's deployment util does.
import { deepCopyJSON, deepEqualJSON } from '../../api/meta.js';
import type { PodTemplateSpec } from '../../client/types.js';
import { desiredReplicasAnnotation, revisionOf } from './annotations.js';
import { POD_TEMPLATE_HASH_LABEL } from './hash.js';
import type { DeploymentObject, ReplicaSetObject } from './types.js';

export const specReplicas = (rs: ReplicaSetObject): number => rs.spec.replicas ?? 1;

const created = (rs: ReplicaSetObject): number => (rs.metadata.creationTimestamp ? Date.parse(rs.metadata.creationTimestamp) : 0);

/** Older first; ties by name. */
export function byCreation(a: ReplicaSetObject, b: ReplicaSetObject): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Lower revision first; ties by creation. */
export const byRevision = (a: ReplicaSetObject, b: ReplicaSetObject): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);

/** Larger first; ties older first (scaling down). */
export const bySizeOlder = (a: ReplicaSetObject, b: ReplicaSetObject): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);

/** Larger first; ties newer first (scaling up). */
export const bySizeNewer = (a: ReplicaSetObject, b: ReplicaSetObject): number => specReplicas(b) - specReplicas(a) || byCreation(b, a);

/** A copy with null-valued object fields dropped (null and absent mean the same in a template). */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}

/** Templates equal once the pod-template-hash label is ignored. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = deepCopyJSON(t ?? {});
    if (c.metadata?.labels) {
      delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    return c;
  };
  return deepEqualJSON(withoutNulls(strip(a)), withoutNulls(strip(b)));
}

/** The oldest ReplicaSet whose template is the Deployment's (several can match after a hash collision). */
export function findNewReplicaSet(d: DeploymentObject, rss: ReplicaSetObject[]): ReplicaSetObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

export const filterActive = (rss: (ReplicaSetObject | undefined)[]): ReplicaSetObject[] => rss.filter((rs): rs is ReplicaSetObject => rs !== undefined && specReplicas(rs) > 0);

const sum = (rss: (ReplicaSetObject | undefined)[], f: (rs: ReplicaSetObject) => number | undefined): number =>
  rss.reduce((n, rs) => n + (rs ? (f(rs) ?? 0) : 0), 0);

export const specReplicaSum = (rss: (ReplicaSetObject | undefined)[]): number => sum(rss, specReplicas);
export const actualReplicaSum = (rss: (ReplicaSetObject | undefined)[]): number => sum(rss, (rs) => rs.status?.replicas);
export const readyReplicaSum = (rss: (ReplicaSetObject | undefined)[]): number => sum(rss, (rs) => rs.status?.readyReplicas);
export const availableReplicaSum = (rss: (ReplicaSetObject | undefined)[]): number => sum(rss, (rs) => rs.status?.availableReplicas);

/** The single active ReplicaSet, or the latest when none is active; undefined when several are. */
export function findActiveOrLatest(newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): ReplicaSetObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs all desired replicas, all available. */
export function isSaturated(d: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (!rs) return false;
  const desired = d.spec.replicas ?? 1;
  return specReplicas(rs) === desired && desiredReplicasAnnotation(rs) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}
