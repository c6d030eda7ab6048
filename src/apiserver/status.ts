// Kubernetes Status objects and the typed error every handler throws.
import { isStorageError } from '../storage/errors.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Expired'
  | 'Timeout'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = `ApiError(${reason})`;
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** What a resource is called in messages: "pods", or "deployments.apps". */
export interface Qualified {
  group: string;
  resource: string;
}
const qualified = (r: Qualified) => (r.group ? `${r.resource}.${r.group}` : r.resource);

export const badRequest = (message: string, details?: StatusDetails) => new ApiError(400, 'BadRequest', message, details);
export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');
export const forbidden = (message: string, details?: StatusDetails) => new ApiError(403, 'Forbidden', message, details);
export const notFound = (r: Qualified, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.resource });
export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');
export const alreadyExists = (r: Qualified, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group || undefined, kind: r.resource });
export const conflict = (r: Qualified, name: string, why: string) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, {
    name,
    group: r.group || undefined,
    kind: r.resource,
  });
export const staleConflict = (r: Qualified, name: string) =>
  conflict(r, name, 'the object has been modified; please apply your changes to the latest version and try again');
export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') =>
  new ApiError(405, 'MethodNotAllowed', message);
export const unsupportedMediaType = (type: string) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${type})`);
export const tooLarge = () => new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
export const expired = (message: string) => new ApiError(410, 'Expired', message);
export const internalError = (message: string) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
export const invalid = (kind: string, group: string, name: string, causes: StatusCause[]) => {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message ?? ''));
  const list = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${list}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
};

export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}

/** Maps any thrown value to an ApiError, translating storage errors for resource `r`. */
export function toApiError(err: unknown, r?: Qualified, name = ''): ApiError {
  if (err instanceof ApiError) return err;
  if (isStorageError(err)) {
    const res = r ?? { group: '', resource: '' };
    switch (err.code) {
      case 'NotFound':
        return notFound(res, name);
      case 'AlreadyExists':
        return alreadyExists(res, name);
      case 'Conflict':
        return staleConflict(res, name);
      case 'Expired':
        return expired(`The provided continue parameter is too old to display a consistent list result. ${err.message}`);
      case 'TooLargeResourceVersion':
        return new ApiError(504, 'Timeout', `Too large resource version: ${err.message}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
      case 'Unavailable':
        return new ApiError(503, 'ServiceUnavailable', err.message);
      case 'InvalidArgument':
        return badRequest(err.message);
    }
  }
  return internalError(err instanceof Error ? err.message : String(err));
}
