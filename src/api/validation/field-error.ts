// Field errors as upstream's field.Error: a type, a field path, the bad value
// and a detail, rendered into the exact text a 422 Invalid Status carries.

import { GoLiteral, goQuote, goSyntax } from './go-format.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The rendered body (everything after `<field>: `), as in a Status cause. */
  message: string;
  detail?: string;
  badValue?: unknown;
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Marks a value that must not be printed (upstream's omitValue). */
const OMIT = Symbol('omit');

// Types whose body never shows the value.
const valueless = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof GoLiteral) return v.text;
  return goSyntax(v);
}

function make(type: FieldErrorType, field: string, badValue: unknown, detail: string): FieldError {
  let body = typeText[type];
  if (!valueless.has(type) && badValue !== OMIT) body += `: ${renderValue(badValue)}`;
  if (detail) body += `: ${detail}`;
  const err: FieldError = { type, field, message: body };
  if (detail) err.detail = detail;
  if (badValue !== OMIT && !valueless.has(type)) err.badValue = badValue;
  return err;
}

export const required = (field: string, detail = '') => make('FieldValueRequired', field, '', detail);
export const invalid = (field: string, value: unknown, detail: string) => make('FieldValueInvalid', field, value, detail);
export const notFound = (field: string, value: unknown) => make('FieldValueNotFound', field, value, '');
export const duplicate = (field: string, value: unknown) => make('FieldValueDuplicate', field, value, '');
export const forbidden = (field: string, detail: string) => make('FieldValueForbidden', field, '', detail);
export const internalError = (field: string, err: Error | string) =>
  make('InternalError', field, null, typeof err === 'string' ? err : err.message);

export function notSupported(field: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return make('FieldValueNotSupported', field, value, detail);
}

export function tooLong(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return make('FieldValueTooLong', field, OMIT, detail);
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
  return make('FieldValueTooMany', field, actual >= 0 ? actual : OMIT, detail);
}

/** `field: body`, as upstream's Error() prints one error. */
export const fieldErrorString = (e: FieldError) => `${e.field}: ${e.message}`;

/** Upstream's aggregate text: one error bare, several in brackets, duplicates dropped. */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  for (const e of errors) seen.add(fieldErrorString(e));
  const msgs = [...seen];
  if (msgs.length === 0) return '';
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

export interface StatusCause {
  reason: FieldErrorType;
  message: string;
  field: string;
}

export interface InvalidStatusDetails {
  /** The Status message: `Deployment.apps "web" is invalid: ...`. */
  message: string;
  /** The Status `details` object. */
  group: string;
  kind: string;
  name: string;
  causes: StatusCause[];
}

/** Message and details of the 422 `Invalid` Status upstream's NewInvalid builds. */
export function invalidStatusDetails(kind: string, name: string, errors: readonly FieldError[], group = ''): InvalidStatusDetails {
  const qualified = group ? `${kind}.${group}` : kind;
  const agg = aggregateMessage(errors);
  const message = agg ? `${qualified} ${goQuote(name)} is invalid: ${agg}` : `${qualified} ${goQuote(name)} is invalid`;
  const causes = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  return { message, group, kind, name, causes };
}

/** The whole Status object for a 422 answer. */
export function invalidStatus(kind: string, name: string, errors: readonly FieldError[], group = '') {
  const d = invalidStatusDetails(kind, name, errors, group);
  const details: Record<string, unknown> = { name: d.name };
  if (group) details.group = group;
  details.kind = d.kind;
  details.causes = d.causes;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: d.message,
    reason: 'Invalid',
    details,
    code: 422,
  };
}

/** Thrown by callers that prefer exceptions; carries the errors for the Status. */
export class ValidationError extends Error {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly errors: FieldError[],
    readonly group = '',
  ) {
    super(invalidStatusDetails(kind, objectName, errors, group).message);
    this.name = 'ValidationError';
  }
}
