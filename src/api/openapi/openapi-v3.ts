// Builds the /openapi/v3 root and one OpenAPI 3.0 document per group-version,
// which kubectl uses for `explain`, for client-side validation hand-off
// (fieldValidation) and for strategic-merge metadata.
import { createHash } from 'node:crypto';
import {
  OPERATION_DEFINITIONS,
  QUERY_PARAMETER_DOCS,
  RESPONSE_CONTENT_TYPES,
  resourcePaths,
  type ApiOperation,
  type ApiPath,
} from './api-operations.js';
import { applyFieldExtensions, ref, referencedDefinitions, type BuiltinCatalog } from './builtin-definitions.js';
import { groupVersionPath, resolveResources, type ResolvedResource } from './resource-schemas.js';
import type { Definitions, FieldExtensions, JsonSchema, ResourceInfo } from './schema-types.js';

export const KUBERNETES_VERSION = 'v1.33.0';

export interface OpenApiOptions {
  fieldExtensions?: FieldExtensions;
  /** Overrides the built-in catalog (tests). */
  catalog?: BuiltinCatalog;
}

export interface OpenApiV3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenApiV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Definitions; securitySchemes?: Record<string, unknown> };
}

function v3Parameter(name: string, location: 'path' | 'query'): Record<string, unknown> {
  if (location === 'path') {
    return {
      name,
      in: 'path',
      required: true,
      description: name === 'namespace' ? 'object name and auth scope, such as for teams and projects' : 'name of the resource',
      schema: { type: 'string', uniqueItems: true },
    };
  }
  const doc = QUERY_PARAMETER_DOCS[name as keyof typeof QUERY_PARAMETER_DOCS];
  return { name, in: 'query', description: doc?.description ?? name, schema: { type: doc?.type ?? 'string', uniqueItems: true } };
}

function v3Operation(op: ApiOperation): Record<string, unknown> {
  const content = (schema: JsonSchema): Record<string, unknown> =>
    Object.fromEntries(RESPONSE_CONTENT_TYPES.map((t) => [t, { schema }]));
  const responses: Record<string, unknown> = {};
  for (const code of op.successCodes) {
    responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: content(ref(op.responseDefinition)) };
  }
  responses['401'] = { description: 'Unauthorized' };
  const out: Record<string, unknown> = {
    tags: [op.operationId.replace(/^(list|create|deleteCollection|read|replace|delete|patch)/, '')],
    description: op.description,
    operationId: op.operationId,
    ...(op.query.length > 0 ? { parameters: op.query.map((q) => v3Parameter(q, 'query')) } : {}),
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': { ...op.gvk },
  };
  if (op.requestDefinition !== undefined) {
    const types = op.patchBody ?? ['*/*'];
    out.requestBody = {
      content: Object.fromEntries(types.map((t) => [t, { schema: ref(op.requestDefinition as string) }])),
      required: op.method !== 'delete',
    };
  }
  return out;
}

function v3Path(p: ApiPath): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const op of p.operations) item[op.method] = v3Operation(op);
  item.parameters = [...p.pathParameters.map((n) => v3Parameter(n, 'path')), v3Parameter('pretty', 'query')];
  return item;
}

/** Groups resolved resources by their "api/v1" / "apis/g/v" key, in first-seen order. */
export function byGroupVersion(resolved: ResolvedResource[]): Map<string, ResolvedResource[]> {
  const out = new Map<string, ResolvedResource[]>();
  for (const r of resolved) {
    const key = groupVersionPath(r.info.group, r.info.version);
    const list = out.get(key) ?? [];
    list.push(r);
    out.set(key, list);
  }
  return out;
}

/** Picks the named definitions (and everything they reference) out of `defs`. */
export function closure(defs: Definitions, roots: Iterable<string>): Definitions {
  const names = [...referencedDefinitions(defs, roots)].sort();
  return Object.fromEntries(names.map((n) => [n, defs[n] as JsonSchema]));
}

/** Upstream-style content hash: SHA-512, upper-case hex. */
export function contentHash(bytes: string | Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

/** The hash of a document as served: its JSON. */
export function documentHash(doc: unknown): string {
  return contentHash(JSON.stringify(doc));
}

export function buildOpenApiV3(
  resources: ResourceInfo[],
  options: OpenApiOptions = {},
): { root: OpenApiV3Root; documents: Map<string, OpenApiV3Document> } {
  const { definitions, resolved } = resolveResources(resources, options.catalog);
  const documents = new Map<string, OpenApiV3Document>();
  const root: OpenApiV3Root = { paths: {} };
  for (const [key, group] of byGroupVersion(resolved)) {
    const paths: Record<string, Record<string, unknown>> = {};
    const roots = new Set(OPERATION_DEFINITIONS);
    for (const r of group) {
      for (const p of resourcePaths(r)) {
        paths[p.path] = v3Path(p);
        for (const op of p.operations) {
          roots.add(op.responseDefinition);
          if (op.requestDefinition) roots.add(op.requestDefinition);
        }
      }
    }
    const doc: OpenApiV3Document = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
      paths,
      components: {
        schemas: applyFieldExtensions(closure(definitions, roots), options.fieldExtensions),
        securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
      },
    };
    documents.set(key, doc);
    root.paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documentHash(doc)}` };
  }
  return { root, documents };
}
