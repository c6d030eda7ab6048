// Typed failure of protobuf body decoding. The API server maps `Malformed` to
// 400 BadRequest and `UnknownKind` to 415 UnsupportedMediaType.
export type ProtobufDecodeErrorCode = 'Malformed' | 'UnknownKind';

export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
  readonly code: ProtobufDecodeErrorCode;

  constructor(code: ProtobufDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The HTTP status the API server should answer with. */
  get httpStatus(): 400 | 415 {
    return this.code === 'UnknownKind' ? 415 : 400;
  }
}
