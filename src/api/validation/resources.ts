// Container resource requirements: names, non-negative quantities, and
// requests <= limits (equal for resources that cannot be overcommitted).

import { asObject } from '../json.js';
import { compareQuantities, formatQuantity, milliValue, type Quantity } from '../quantity.js';
import { child, key } from './field-path.js';
import { invalid, required, type FieldError } from './field-error.js';
import { isDNS1123Subdomain, isQualifiedName } from './names.js';
import { isNegative, isNegativeErrorMsg, readQuantity } from './common.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
// Extended resources (vendor.com/gpu) are whole numbers and never overcommitted.
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.');
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);
const isIntegerResource = (name: string) => isExtended(name);

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePages(name))
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name)) {
    const prefixOk = isDNS1123Subdomain(name.split('/')[0]!).length === 0;
    if (!prefixOk || name.startsWith('requests.')) errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  if (isNegative(q)) return [invalid(path, formatQuantity(q), isNegativeErrorMsg)];
  if (isIntegerResource(name) && milliValue(q) % 1000n !== 0n) return [invalid(path, formatQuantity(q), 'must be an integer')];
  return [];
}

export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  const res = asObject(resources);
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const errs: FieldError[] = [];
  const limits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(asObject(res.limits))) {
    const p = key(limPath, name);
    errs.push(...validateResourceName(name, p));
    const q = readQuantity(raw, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    limits.set(name, q);
  }
  for (const [name, raw] of Object.entries(asObject(res.requests))) {
    const p = key(reqPath, name);
    errs.push(...validateResourceName(name, p));
    const q = readQuantity(raw, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !overcommitAllowed(name))
        errs.push(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      else if (cmp > 0)
        errs.push(invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
    } else if (!overcommitAllowed(name) && !Object.hasOwn(asObject(res.limits), name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}
