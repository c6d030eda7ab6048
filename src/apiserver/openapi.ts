// /openapi/v2 and /openapi/v3: built from the served resources on first
// request and rebuilt when the set changes (CRDs come and go).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildOpenApiV2,
  buildOpenApiV3,
  encodeOpenApiV2Protobuf,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  wantsOpenApiV2Protobuf,
  type FieldExtensions,
  type JsonSchema,
  type ResourceInfo as OpenApiResource,
} from '../api/openapi/index.js';
import { PATCH_META_TABLE } from '../api/patch/index.js';
import type { Registry } from './registry/registry.js';
import { send } from './respond.js';

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

export class OpenApiService {
  private v3: ReturnType<typeof buildOpenApiV3> | null = null;
  private v2: { json: string; protobuf: Buffer } | null = null;

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

  /** Answers /openapi/... paths; false for any other path. */
  handle(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (path === '/openapi/v2') {
      if (!this.v2) {
        const doc = buildOpenApiV2(this.resources(), { fieldExtensions });
        this.v2 = { json: JSON.stringify(doc), protobuf: Buffer.from(encodeOpenApiV2Protobuf(doc)) };
      }
      if (wantsOpenApiV2Protobuf(req.headers.accept)) {
        res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE });
        res.end(this.v2.protobuf);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(this.v2.json);
      }
      return true;
    }
    if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
      this.v3 ??= buildOpenApiV3(this.resources(), { fieldExtensions });
      if (path === '/openapi/v3') {
        send(res, 200, this.v3.root);
        return true;
      }
      const doc = this.v3.documents.get(path.slice('/openapi/v3/'.length));
      if (!doc) return false;
      send(res, 200, doc);
      return true;
    }
    return false;
  }
}
