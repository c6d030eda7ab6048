// Owner lookups from pod events (owner references are refmanager's ownerRefTo).
import { controllerRef, type KubeObject } from '../../api/meta.js';

/** `ns/name` of the owner of `kind` controlling `obj`, if any. */
export function controllerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRef(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return `${obj.metadata.namespace}/${ref.name}`;
}
