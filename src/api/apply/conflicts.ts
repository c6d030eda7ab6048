// Apply conflicts and how the API reports them: a 409 Conflict Status whose
// causes carry reason FieldManagerConflict, the field and the other manager.
import { ApiError, type StatusCause } from '../../apiserver/status.js';
import { pathToString, type Path } from './path-element.js';
import type { ManagerId } from './managed-fields.js';

export interface ApplyConflict {
  /** The other manager's name. */
  manager: string;
  /** `.spec.replicas`, `.spec.containers[name="app"].image` */
  field: string;
  /** `conflict with "kubectl-client-side-apply" using apps/v1` */
  message: string;
  /** The other manager's entry: operation, apiVersion, subresource. */
  owner: ManagerId;
  path: Path;
}

/** How upstream names a manager in messages: appliers by name; updaters with the version they used. */
export function describeManager(id: ManagerId): string {
  let s = JSON.stringify(id.manager);
  if (id.subresource) s += ` with subresource ${JSON.stringify(id.subresource)}`;
  return id.operation === 'Update' ? `${s} using ${id.apiVersion}` : s;
}

export function makeConflict(owner: ManagerId, path: Path): ApplyConflict {
  return { manager: owner.manager, field: pathToString(path), message: `conflict with ${describeManager(owner)}`, owner, path };
}

/** The Status message: `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`. */
export function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: ${c.message}: ${c.field}`;
  }
  const byManager = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) {
    const name = describeManager(c.owner);
    byManager.set(name, [...(byManager.get(name) ?? []), c]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`);
    for (const c of byManager.get(name)!) lines.push(`- ${c.field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export const conflictStatusCauses = (conflicts: readonly ApplyConflict[]): StatusCause[] =>
  conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field }));

/** The 409 the PATCH handler throws. */
export const applyConflictError = (conflicts: readonly ApplyConflict[]): ApiError =>
  new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes: conflictStatusCauses(conflicts) });
