// gRPC status codes by number → the CamelCase names CriError carries
// (the names Go's codes package prints, e.g. "NotFound").
const NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

export type GrpcCodeName = (typeof NAMES)[number];

export function grpcCodeName(code: number | undefined): GrpcCodeName {
  return (code !== undefined && NAMES[code]) || 'Unknown';
}
