// Annotation checks on their own (pod templates carry annotations but no
// full ObjectMeta validation).

import { asObject, asString } from '../json.js';
import { invalid, tooLong, type FieldError } from './field-error.js';
import { isQualifiedName } from './names.js';

export const TotalAnnotationSizeLimitB = 256 * 1024;

export function validateAnnotationsOnly(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(asObject(annotations))) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(asString(v));
  }
  if (total > TotalAnnotationSizeLimitB) errs.push(tooLong(path, TotalAnnotationSizeLimitB));
  return errs;
}
