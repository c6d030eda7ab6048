// Checks shared by many kinds: labels, selectors, non-negative numbers,
// immutable fields, quantities. Messages are upstream's.

import { asArray, asObject, asString, isObject, jsonEqual } from '../json.js';
import { parseQuantity, QuantityParseError, sign, type Quantity } from '../quantity.js';
import { child, index, key } from './field-path.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum } from './names.js';

export const isNegativeErrorMsg = 'must be greater than or equal to 0';
export const fieldImmutableErrorMsg = 'field is immutable';

export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((m) => invalid(path, name, m));
}

/** metadata.labels-style maps; errors point at the map, as upstream's do. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(asObject(labels))) {
    errs.push(...validateLabelName(k, path));
    for (const m of isValidLabelValue(asString(v))) errs.push(invalid(path, asString(v), m));
  }
  return errs;
}

export function validateNonnegative(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(path, value, isNegativeErrorMsg)] : [];
}

export function validateImmutable(newVal: unknown, oldVal: unknown, path: string, shown: unknown = newVal): FieldError[] {
  return jsonEqual(newVal, oldVal) ? [] : [invalid(path, shown ?? null, fieldImmutableErrorMsg)];
}

export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(path, value, m));
}

export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(path, value, m));
}

/** metav1.LabelSelector syntax: matchLabels, then each matchExpressions entry. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (!isObject(sel)) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  asArray(sel.matchExpressions).forEach((raw, i) => {
    const expr = asObject(raw);
    const p = index(child(path, 'matchExpressions'), i);
    const op = asString(expr.operator);
    const values = asArray(expr.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(child(p, 'operator'), op, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(asString(expr.key), child(p, 'key')));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(asString(v))) errs.push(invalid(index(child(p, 'values'), j), asString(v), m));
    });
  });
  return errs;
}

/** Whether a label selector matches a label set. A missing selector matches nothing. */
export function selectorMatches(sel: unknown, labels: unknown): boolean {
  if (!isObject(sel)) return false;
  const set = asObject(labels);
  for (const [k, v] of Object.entries(asObject(sel.matchLabels))) if (set[k] !== v) return false;
  for (const raw of asArray(sel.matchExpressions)) {
    const e = asObject(raw);
    const k = asString(e.key);
    const has = Object.hasOwn(set, k);
    const values = asArray(e.values);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(set[k])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(set[k])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export const selectorIsEmpty = (sel: unknown) =>
  isObject(sel) && Object.keys(asObject(sel.matchLabels)).length + asArray(sel.matchExpressions).length === 0;

/** An int-or-string port: a number 1..65535 or an IANA-style port name. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path, port, m));
  return [invalid(path, port ?? null, 'must be an integer or a port name')];
}

export const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];

export function validateProtocol(proto: unknown, path: string): FieldError[] {
  if (proto === undefined || proto === null || proto === '') return [required(path, '')];
  return supportedPortProtocols.includes(asString(proto)) ? [] : [notSupported(path, proto, supportedPortProtocols)];
}

/** Parses a quantity held in JSON (string or number); undefined when it fails, with the error pushed. */
export function readQuantity(v: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  const text = typeof v === 'number' ? String(v) : asString(v);
  try {
    return parseQuantity(text);
  } catch (e) {
    if (e instanceof QuantityParseError) {
      errs.push(invalid(path, text, e.message));
      return undefined;
    }
    throw e;
  }
}

export const isNegative = (q: Quantity) => sign(q) < 0;

/** Flags duplicate string values in a list (e.g. names). */
export function checkUnique(values: readonly string[], pathOf: (i: number) => string): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) errs.push(duplicate(pathOf(i), v));
    seen.add(v);
  });
  return errs;
}

export { key };
