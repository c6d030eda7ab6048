// Request bodies in (JSON, YAML, protobuf) and response formats out.
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError } from '../api/protobuf/index.js';
import { ApiError, badRequest, tooLarge, unsupportedMediaType } from './status.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  // Plain 'data' events: an async iterator per request costs more than the JSON parse of a small body.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(badRequest('the request body ended early'));
    });
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}


/** Decodes an object body by its Content-Type; every failure is a 400 or 415 Status. */
export function decodeBody(contentType: string | undefined, body: Buffer): unknown {
  const type = mediaType(contentType);
  if (body.length === 0) throw badRequest('request body is empty');
  switch (type) {
    case 'application/json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/json-patch+json':
      return parseJson(body);
    case 'application/yaml':
    case 'application/apply-patch+yaml':
      return parseYaml(body);
    case PROTOBUF_CONTENT_TYPE:
      try {
        return decodeKubernetesProtobuf(body);
      } catch (err) {
        if (err instanceof ProtobufDecodeError && err.code === 'UnknownKind') {
          throw new ApiError(415, 'UnsupportedMediaType', `${err.message}: send this kind as application/json`);
        }
        throw badRequest(`unable to decode protobuf body: ${(err as Error).message}`);
      }
    default:
      throw unsupportedMediaType(type);
  }
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

export function parseYaml(body: Buffer): unknown {
  try {
    const docs = YAML.parseAllDocuments(body.toString('utf8'));
    if (docs.length !== 1) throw new Error(`expected one YAML document, got ${docs.length}`);
    const doc = docs[0]!;
    if (doc.errors.length) throw doc.errors[0]!;
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
  }
}

export interface ResponseFormat {
  /** "Table", "PartialObjectMetadata", "PartialObjectMetadataList" or undefined for the object itself. */
  as?: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
  version?: string;
  yaml: boolean;
}

/** Picks the first Accept entry we can produce, as upstream's negotiation does. */
export function negotiate(accept: string | undefined): ResponseFormat {
  if (!accept) return { yaml: false };
  for (const entry of accept.split(',')) {
    const [type, ...params] = entry.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((y) => y.trim()) as [string, string]));
    if (p.as && (type === 'application/json' || type === 'application/yaml')) {
      if ((p.as === 'Table' || p.as === 'PartialObjectMetadata' || p.as === 'PartialObjectMetadataList') && p.g === 'meta.k8s.io') {
        return { as: p.as, version: p.v ?? 'v1', yaml: type === 'application/yaml' };
      }
      continue;
    }
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return { yaml: false };
    if (type === 'application/yaml') return { yaml: true };
  }
  // Nothing matched (e.g. protobuf only): JSON is still the best we can do and clients cope.
  return { yaml: false };
}
