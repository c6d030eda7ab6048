// Interplay with client-side apply's kubectl.kubernetes.io/last-applied-configuration
// annotation, for the "kubectl" manager only (as upstream): conflicts on fields
// the annotation shows kubectl applied before are forgiven (the upgrade from
// client-side to server-side apply), and the annotation follows each apply.
import { compareObjects } from './compare.js';
import type { FieldSet } from './field-set.js';
import { metadataOf, type JsonObject } from './object-meta.js';
import { isObject, type Schema } from './schema.js';
import { fieldSetOf } from './to-field-set.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const KUBECTL_MANAGER = 'kubectl';

function lastAppliedOf(obj: unknown): string | undefined {
  const annotations = metadataOf(obj)?.annotations;
  const v = isObject(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The fields the last-applied annotation claims and the live object still
 * holds unchanged: conflicts on these are kubectl's own earlier client-side
 * applies. undefined when there is no usable annotation.
 */
export function fieldsFromLastApplied(live: JsonObject, apiVersion: string, schema: Schema): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  const c = compareObjects(last, live, schema);
  return fieldSetOf(last, schema.listKeys, schema.mapType).difference(c.modified).difference(c.added).difference(c.removed);
}

// Go's encoder, which upstream uses, escapes these for HTML safety.
const goEscape = (json: string) => json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortedKeys(v[k])]),
  );
}

/** The annotation value for an applied configuration: itself without the annotation, as Go encodes it. */
export function buildLastApplied(applied: JsonObject): string {
  const copy = structuredClone(applied);
  const meta = metadataOf(copy);
  if (meta && isObject(meta.annotations)) {
    delete meta.annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  return goEscape(JSON.stringify(sortedKeys(copy))) + '\n';
}

/** After a "kubectl" apply: refreshes the annotation if the object carries one. */
export function syncLastApplied(result: JsonObject, applied: JsonObject, manager: string): JsonObject {
  if (manager !== KUBECTL_MANAGER || lastAppliedOf(result) === undefined) return result;
  const meta = metadataOf(result)!;
  const annotations = { ...(meta.annotations as Record<string, unknown>), [LAST_APPLIED_ANNOTATION]: buildLastApplied(applied) };
  return { ...result, metadata: { ...meta, annotations } };
}
