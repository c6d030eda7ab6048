// API errors as typed values: a failed request carries the server's Status
// (code, reason, message, details) so callers branch on the reason, not text.

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

/** The wire `Status` object (metav1.Status). */
export interface Status {
  kind?: 'Status';
  apiVersion?: string;
  metadata?: Record<string, unknown>;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

export class ApiStatusError extends Error {
  override name = 'ApiStatusError';
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  /** The error a Status object describes; `code` fills in when the Status lacks one. */
  static fromStatus(status: Status, code = 500): ApiStatusError {
    return new ApiStatusError(status.code ?? code, status.reason ?? reasonForCode(status.code ?? code), status.message ?? `request failed with ${status.code ?? code}`, status.details);
  }
}

/** A transport failure (connection refused, reset, timed out): no Status came back. */
export class ApiTransportError extends Error {
  override name = 'ApiTransportError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** The reason upstream uses for a bare HTTP code (a body that was not a Status). */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 406: return 'NotAcceptable';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 504: return 'Timeout';
    default: return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/** Builds the typed error for a non-2xx reply from its code and raw body. */
export function errorFromResponse(code: number, body: string): ApiStatusError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isStatus(parsed)) return ApiStatusError.fromStatus(parsed, code);
  } catch {
    // Not JSON: fall through to a synthesized error.
  }
  const text = body.trim();
  return new ApiStatusError(code, reasonForCode(code), text ? text.slice(0, 500) : `the server responded with HTTP ${code}`);
}

const reasonIs = (err: unknown, reason: string, code: number): boolean =>
  err instanceof ApiStatusError && (err.reason === reason || (err.code === code && err.reason === reasonForCode(code)));

export const isNotFound = (err: unknown): boolean => reasonIs(err, 'NotFound', 404);
export const isConflict = (err: unknown): boolean => err instanceof ApiStatusError && err.reason === 'Conflict';
export const isAlreadyExists = (err: unknown): boolean => err instanceof ApiStatusError && err.reason === 'AlreadyExists';
/** 410: Gone or Expired (a watch or continue token from a compacted revision). */
export const isGone = (err: unknown): boolean =>
  err instanceof ApiStatusError && (err.code === 410 || err.reason === 'Gone' || err.reason === 'Expired');
export const isInvalid = (err: unknown): boolean => err instanceof ApiStatusError && err.reason === 'Invalid';
export const isForbidden = (err: unknown): boolean => reasonIs(err, 'Forbidden', 403);
export const isTooManyRequests = (err: unknown): boolean => err instanceof ApiStatusError && (err.code === 429 || err.reason === 'TooManyRequests');
