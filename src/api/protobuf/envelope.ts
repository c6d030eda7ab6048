// The Kubernetes protobuf envelope: the magic bytes k8s\0, then a runtime.Unknown
// whose typeMeta names the object and whose raw bytes are the object's message.
import { ProtobufDecodeError } from './errors.js';
import { jsonToMessage } from './from-json.js';
import { messageTypeFor } from './kinds.js';
import { lookupMessage } from './root.js';
import type { JsonRecord } from './special-types.js';
import { messageToJson } from './to-json.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether a Content-Type header names the Kubernetes protobuf media type (parameters ignored). */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

function decodeWith(typeName: string, bytes: Uint8Array, what: string): JsonRecord {
  try {
    // A decoded message owns exactly the fields that were on the wire.
    return lookupMessage(typeName).decode(bytes) as unknown as JsonRecord;
  } catch (err) {
    throw new ProtobufDecodeError('Malformed', `cannot decode the protobuf ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Decodes a protobuf request body into the object's JSON form (apiVersion and kind first). */
export function decodeKubernetesProtobuf(body: Uint8Array): JsonRecord {
  if (body.length < MAGIC.length || !MAGIC.equals(body.subarray(0, MAGIC.length))) {
    throw new ProtobufDecodeError('Malformed', 'protobuf body does not start with the k8s\\0 magic bytes');
  }
  const envelope = decodeWith('runtime.Unknown', body.subarray(MAGIC.length), 'envelope');
  const typeMeta = (envelope['typeMeta'] ?? {}) as JsonRecord;
  const apiVersion = typeof typeMeta['apiVersion'] === 'string' ? typeMeta['apiVersion'] : '';
  const kind = typeof typeMeta['kind'] === 'string' ? typeMeta['kind'] : '';
  if (apiVersion === '' || kind === '') {
    throw new ProtobufDecodeError('Malformed', 'protobuf envelope has no apiVersion or kind');
  }
  const encoding = envelope['contentEncoding'];
  if (typeof encoding === 'string' && encoding !== '') {
    throw new ProtobufDecodeError('Malformed', `unsupported protobuf contentEncoding "${encoding}"`);
  }
  const typeName = messageTypeFor(apiVersion, kind);
  if (typeName === undefined) {
    throw new ProtobufDecodeError('UnknownKind', `no protobuf schema for ${apiVersion}, Kind=${kind}`);
  }
  const raw = envelope['raw'] instanceof Uint8Array ? envelope['raw'] : new Uint8Array(0);
  const object = decodeWith(typeName, raw, kind);
  return { apiVersion, kind, ...messageToJson(lookupMessage(typeName), object) };
}

/** Encodes an object (JSON form, with apiVersion and kind) as a protobuf body with the envelope. */
export function encodeKubernetesProtobuf(obj: JsonRecord): Buffer {
  const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  const typeName = messageTypeFor(apiVersion, kind);
  if (typeName === undefined) {
    throw new ProtobufDecodeError('UnknownKind', `no protobuf schema for ${apiVersion}, Kind=${kind}`);
  }
  const type = lookupMessage(typeName);
  const raw = type.encode(type.fromObject(jsonToMessage(type, obj))).finish();
  const unknownType = lookupMessage('runtime.Unknown');
  const envelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([MAGIC, envelope]);
}
