// Owner references and owner lookups from pod events.
import { controllerRef, type KubeObject, type OwnerReference } from '../../api/meta.js';

export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** `ns/name` of the owner of `kind` controlling `obj`, if any. */
export function controllerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRef(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return `${obj.metadata.namespace}/${ref.name}`;
}
