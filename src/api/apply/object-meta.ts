// Small accessors over plain JSON objects' metadata, shared by apply and update tracking.
import { isObject } from './schema.js';

export type JsonObject = Record<string, unknown>;

export const metadataOf = (obj: unknown): JsonObject | undefined => (isObject(obj) && isObject(obj.metadata) ? obj.metadata : undefined);

/** A shallow copy without metadata.managedFields: what field tracking compares. */
export function withoutManagedFields(obj: JsonObject): JsonObject {
  const meta = metadataOf(obj);
  if (!meta || !('managedFields' in meta)) return obj;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** A shallow copy with metadata.managedFields set (or removed when there are none). */
export function withManagedFields(obj: JsonObject, entries: readonly unknown[]): JsonObject {
  const meta = { ...(metadataOf(obj) ?? {}) };
  delete meta.managedFields;
  if (entries.length > 0) meta.managedFields = entries;
  return { ...obj, metadata: meta };
}
