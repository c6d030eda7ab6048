// /openapi/v2 and /openapi/v3: built and serialized from the served resources
// on first request, and again when the set changes (CRDs come and go).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  buildOpenApiV2,
  buildOpenApiV3,
  contentHash,
  encodeOpenApiV2Protobuf,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  wantsOpenApiV2Protobuf,
  type FieldExtensions,
  type JsonSchema,
  type ResourceInfo as OpenApiResource,
} from '../api/openapi/index.js';
import { PATCH_META_TABLE } from '../api/patch/index.js';
import type { Registry } from './registry/registry.js';

const fieldExtensions: FieldExtensions = (definition, field) => {
  const meta = PATCH_META_TABLE[definition]?.[field];
  if (!meta) return undefined;
  const { mergeKey, strategy, listType, listMapKeys } = meta;
  return { mergeKey, strategy, listType, listMapKeys: listMapKeys ? [...listMapKeys] : undefined };
};

/** Served resource → OpenAPI generator input; `schemaOf` gives a CRD version's schema. */
export function openApiResources(registry: Registry, schemaOf: (crd: unknown, version: string) => JsonSchema | undefined): OpenApiResource[] {
  const out: OpenApiResource[] = [];
  for (const r of registry.all()) {
    if (r.virtual) continue;
    for (const version of r.versions) {
      const res: OpenApiResource = { group: r.group, version, resource: r.resource, kind: r.kind, namespaced: r.namespaced, subresources: r.subresources.map((s) => s.name) };
      if (r.crd !== undefined) res.schema = schemaOf(r.crd, version) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      out.push(res);
    }
  }
  return out;
}

/** A document serialized once, with its validator. */
interface Served {
  body: string | Buffer;
  contentType: string;
  /** Unquoted: the v3 documents' is the hash in the root's URLs. */
  etag: string;
  /** The body gzipped, made on the first request that accepts it. */
  gzipped?: Buffer;
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
/** As upstream: only bodies this large are worth compressing. */
const GZIP_MIN_BYTES = 128 * 1024;

/**
 * Sends `doc` as upstream's OpenAPI handlers do: an ETag always, so a client
 * that sends If-None-Match gets 304; and, when the request names the
 * document's hash, caching for a year (the hash changes with the content, so
 * kubectl's disk cache never asks again). A stale hash redirects to the current one.
 */
function serve(req: IncomingMessage, res: ServerResponse, doc: Served, currentUrl?: string): void {
  const hash = new URL(req.url ?? '/', 'https://localhost').searchParams.get('hash');
  if (hash && currentUrl && hash !== doc.etag) {
    res.writeHead(301, { Location: currentUrl, 'Content-Length': '0' });
    res.end();
    return;
  }
  const headers: Record<string, string> = { ETag: `"${doc.etag}"`, 'Content-Type': doc.contentType };
  if (hash && currentUrl) {
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(Date.now() + ONE_YEAR_MS).toUTCString();
    headers.Vary = 'Accept';
  } else {
    headers['Cache-Control'] = 'no-cache, private';
  }
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === headers.ETag))) {
    delete headers['Content-Type'];
    res.writeHead(304, headers);
    res.end();
    return;
  }
  // The v3 core document is about 600 KB of JSON: a loaded client reading it
  // uncompressed has hit kubectl's fixed 32 s limit.
  const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (accepts && Buffer.byteLength(doc.body) >= GZIP_MIN_BYTES) {
    doc.gzipped ??= gzipSync(doc.body);
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = headers.Vary ? `${headers.Vary}, Accept-Encoding` : 'Accept-Encoding';
    res.writeHead(200, headers);
    res.end(doc.gzipped);
    return;
  }
  res.writeHead(200, headers);
  res.end(doc.body);
}

export class OpenApiService {
  private v3: { root: Served; documents: Map<string, { doc: Served; url: string }> } | null = null;
  private v2: { json: Served; protobuf: Served } | null = null;

  constructor(
    private readonly registry: Registry,
    private readonly schemaOf: (crd: unknown, version: string) => JsonSchema | undefined = () => undefined,
  ) {
    registry.onChange(() => {
      this.v3 = null;
      this.v2 = null;
    });
  }

  private resources(): OpenApiResource[] {
    return openApiResources(this.registry, this.schemaOf);
  }

  private buildV3(): NonNullable<OpenApiService['v3']> {
    const built = buildOpenApiV3(this.resources(), { fieldExtensions });
    const documents = new Map<string, { doc: Served; url: string }>();
    for (const [key, doc] of built.documents) {
      const url = built.root.paths[key]!.serverRelativeURL;
      const hash = new URL(url, 'https://localhost').searchParams.get('hash')!;
      documents.set(key, { doc: { body: JSON.stringify(doc), contentType: 'application/json', etag: hash }, url });
    }
    const root = JSON.stringify(built.root);
    return { root: { body: root, contentType: 'application/json', etag: contentHash(root) }, documents };
  }

  /** Answers /openapi/... paths; false for any other path. */
  handle(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (path === '/openapi/v2') {
      if (!this.v2) {
        const doc = buildOpenApiV2(this.resources(), { fieldExtensions });
        const json = JSON.stringify(doc);
        const protobuf = Buffer.from(encodeOpenApiV2Protobuf(doc));
        this.v2 = {
          json: { body: json, contentType: 'application/json', etag: contentHash(json) },
          protobuf: { body: protobuf, contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE, etag: contentHash(protobuf) },
        };
      }
      serve(req, res, wantsOpenApiV2Protobuf(req.headers.accept) ? this.v2.protobuf : this.v2.json);
      return true;
    }
    if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
      this.v3 ??= this.buildV3();
      if (path === '/openapi/v3') {
        serve(req, res, this.v3.root);
        return true;
      }
      const entry = this.v3.documents.get(path.slice('/openapi/v3/'.length));
      if (!entry) return false;
      serve(req, res, entry.doc, entry.url);
      return true;
    }
    return false;
  }
}
