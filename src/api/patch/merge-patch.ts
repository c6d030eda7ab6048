// JSON merge patch (RFC 7386), what `kubectl label/annotate/scale` and
// `kubectl patch --type merge` send, and the fallback for kinds without
// strategic-merge metadata (custom resources).
import { PatchError } from './errors.js';
import { isObject } from '../json.js';

type JSONObject = Record<string, unknown>;

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JSONObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/**
 * Applies a merge patch without mutating its inputs: objects merge key by key,
 * `null` deletes, anything else (lists included) replaces. The patch of an API
 * object must itself be an object.
 */
export function applyMergePatch<T = JSONObject>(original: unknown, patch: unknown): T {
  if (!isObject(patch)) throw new PatchError(400, 'Invalid JSON Patch');
  return merge(original, patch) as T;
}
