// Typed storage errors. The API server maps each one to a Kubernetes Status
// (see `statusCode`), so callers never have to parse error messages.

export type StorageErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Expired'
  | 'TooLargeResourceVersion'
  | 'Unavailable'
  | 'InvalidArgument';

/** HTTP status a Kubernetes API server answers with for each storage error. */
export const statusCode: Record<StorageErrorCode, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Expired: 410,
  TooLargeResourceVersion: 504,
  Unavailable: 503,
  InvalidArgument: 400,
};

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = `StorageError(${code})`;
  }
  get status(): number {
    return statusCode[this.code];
  }
}

export const notFound = (key: string) => new StorageError('NotFound', `key not found: ${key}`, key);
export const alreadyExists = (key: string) => new StorageError('AlreadyExists', `key already exists: ${key}`, key);
export const conflict = (key: string, detail: string) =>
  new StorageError('Conflict', `conflict on ${key}: ${detail}`, key);
export const expired = (revision: number, compacted: number) =>
  new StorageError('Expired', `revision ${revision} has been compacted (oldest available is ${compacted})`);
export const tooLarge = (revision: number, current: number) =>
  new StorageError('TooLargeResourceVersion', `revision ${revision} is newer than the current revision ${current}`);
export const unavailable = (detail: string, cause?: unknown) =>
  new StorageError('Unavailable', `storage unavailable: ${detail}`, undefined, { cause });
export const invalid = (detail: string) => new StorageError('InvalidArgument', detail);

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
