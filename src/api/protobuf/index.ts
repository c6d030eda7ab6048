// Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) for the API server.
export { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './envelope.js';
export { ProtobufDecodeError, type ProtobufDecodeErrorCode } from './errors.js';
export { messageTypeFor, protobufKinds } from './kinds.js';
