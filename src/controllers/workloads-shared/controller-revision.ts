// ControllerRevision history for StatefulSets and DaemonSets: the pod
// template is stored as a patch, named `<parent>-<hash>`; equal templates
// share a revision; the oldest unused ones are pruned past the history limit.
import { fnv32a, safeEncodeString } from '../../api/hash.js';
import { deepEqualJSON, type KubeObject, type OwnerReference } from '../../api/meta.js';

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** The label upstream puts on StatefulSet revisions. */
export const CONTROLLER_HASH_LABEL = 'controller.kubernetes.io/hash';
/** The label on pods (and DaemonSet revisions) naming their revision hash. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The hash of a revision's data, perturbed by the parent's collisionCount. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(JSON.stringify(data)));
  if (collisionCount !== undefined && collisionCount !== 0) {
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(buf, h);
  }
  return safeEncodeString(String(h));
}

/** `{"spec":{"template":{...,"$patch":"replace"}}}`: what both controllers record. */
export function templatePatch(template: unknown): Record<string, unknown> {
  return { spec: { template: { ...(template as Record<string, unknown>), $patch: 'replace' } } };
}

/** The template a revision holds (undefined if the data is not a template patch). */
export function templateFromRevision(rev: ControllerRevision): Record<string, unknown> | undefined {
  const spec = (rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec;
  if (!spec?.template) return undefined;
  const { $patch: _p, ...template } = spec.template;
  return template;
}

export function revisionName(parentName: string, hash: string): string {
  return `${parentName.slice(0, 223)}-${hash}`;
}

export interface NewRevisionInput {
  parent: KubeObject;
  ownerRef: OwnerReference;
  labels: Record<string, string>;
  data: unknown;
  revision: number;
  collisionCount?: number;
  hashLabel: string;
}

export function newControllerRevision(i: NewRevisionInput): ControllerRevision {
  const hash = hashRevisionData(i.data, i.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(i.parent.metadata.name ?? '', hash),
      namespace: i.parent.metadata.namespace,
      labels: { ...i.labels, [i.hashLabel]: hash },
      ownerReferences: [i.ownerRef],
    },
    data: i.data,
    revision: i.revision,
  };
}

export const revisionHash = (rev: ControllerRevision, hashLabel: string): string =>
  rev.metadata.labels?.[hashLabel] ?? (rev.metadata.name ?? '').slice((rev.metadata.name ?? '').lastIndexOf('-') + 1);

export const sortRevisions = (revs: ControllerRevision[]): ControllerRevision[] =>
  [...revs].sort((a, b) => a.revision - b.revision || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));

export const maxRevision = (revs: ControllerRevision[]): number => revs.reduce((m, r) => Math.max(m, r.revision), 0);

/** Revisions whose data equals `data` (ordered oldest first). */
export const equalRevisions = (revs: ControllerRevision[], data: unknown): ControllerRevision[] =>
  sortRevisions(revs.filter((r) => deepEqualJSON(r.data, data)));

/**
 * The revisions to delete: oldest first, never one in `live`, leaving at most
 * `limit` revisions that are not live.
 */
export function revisionsToPrune(revs: ControllerRevision[], live: Set<string>, limit: number): ControllerRevision[] {
  const prunable = sortRevisions(revs).filter((r) => !live.has(r.metadata.name ?? ''));
  const excess = prunable.length - Math.max(0, limit);
  return excess > 0 ? prunable.slice(0, excess) : [];
}
