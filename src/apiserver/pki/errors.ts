// Typed PKI errors, so the server can tell a broken data dir from a bug.

export type PkiErrorCode =
  | 'MissingKey'
  | 'MissingCertificate'
  | 'KeyMismatch'
  /** An unparsable key or certificate file. */
  | 'InvalidKey';

export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = `PkiError(${code})`;
  }
}
