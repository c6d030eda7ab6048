// The patch types a PATCH request can carry, dispatched by Content-Type.
// (Server-side apply, application/apply-patch+yaml, is not handled here.)
import { PatchError } from './errors.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { patchMetaFor } from './patch-meta.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

export { goFormat, isPatchError, PatchError, type PatchErrorStatus } from './errors.js';
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export * from './patch-meta.js';
export { applyStrategicMergePatch } from './strategic-merge.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export type PatchContentType = typeof JSON_PATCH | typeof MERGE_PATCH | typeof STRATEGIC_MERGE_PATCH;

export function isPatchContentType(t: string): t is PatchContentType {
  return t === JSON_PATCH || t === MERGE_PATCH || t === STRATEGIC_MERGE_PATCH;
}

/**
 * Applies a parsed patch body of the given Content-Type (parameters such as
 * `; charset=utf-8` are ignored) to `original`, an object of `apiVersion`/`kind`.
 * A strategic merge patch of a kind without patch metadata (a custom resource)
 * is refused with 415, as upstream does.
 */
export function applyPatch<T = Record<string, unknown>>(
  contentType: string,
  original: unknown,
  patch: unknown,
  type: { apiVersion: string; kind: string },
): T {
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  switch (t) {
    case JSON_PATCH:
      return applyJsonPatch<T>(original, patch);
    case MERGE_PATCH:
      return applyMergePatch<T>(original, patch);
    case STRATEGIC_MERGE_PATCH: {
      const schema = patchMetaFor(type.apiVersion, type.kind);
      if (schema === undefined) {
        throw new PatchError(
          415,
          `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, application/apply-patch+yaml`,
        );
      }
      return applyStrategicMergePatch<T>(original, patch, schema);
    }
    default:
      throw new PatchError(415, `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, ${STRATEGIC_MERGE_PATCH}`);
  }
}
