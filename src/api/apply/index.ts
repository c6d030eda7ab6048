// Server-side apply and managedFields: the entry points the API server calls.
export { applyServerSide, type ApplyArgs, type ApplyResult } from './apply.js';
export { trackUpdate, type TrackUpdateArgs } from './track-update.js';
export { applyConflictError, conflictMessage, conflictStatusCauses, describeManager, type ApplyConflict } from './conflicts.js';
export { FieldSet } from './field-set.js';
export { fieldSetOf } from './to-field-set.js';
export { compareObjects, type Comparison } from './compare.js';
export { pathToString, fieldElement, keyElement, valueElement, indexElement, type Path, type PathElement } from './path-element.js';
export { defaultMapType, type ListKeys, type ListType, type MapType } from './schema.js';
export { decodeManagedFields, encodeManagedFields, type ManagedFieldsEntry } from './managed-fields.js';
export { LAST_APPLIED_ANNOTATION, buildLastApplied } from './last-applied.js';
