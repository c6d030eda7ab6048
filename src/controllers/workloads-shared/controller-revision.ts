// ControllerRevision history for StatefulSets and DaemonSets: the pod
// template is stored as a patch, named `<parent>-<hash>`; equal templates
// share a revision; the oldest unused ones are pruned past the history limit.
import { deepEqualJSON, type KubeObject, type OwnerReference } from '../../api/meta.js';

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** The label upstream puts on StatefulSet revisions. */
export const CONTROLLER_HASH_LABEL = 'controller.kubernetes.io/hash';
/** The label on pods (and DaemonSet revisions) naming their revision hash. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

// Same alphabet as generated names: no vowels, no look-alike characters.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over the UTF-8 bytes of `s`. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Maps each character onto the safe alphabet (upstream's SafeEncodeString). */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** The hash of a revision's data, perturbed by the parent's collisionCount. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(JSON.stringify(data)));
  if (collisionCount !== undefined && collisionCount !== 0) {
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(buf, h);
  }
  return safeEncode(String(h));
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
