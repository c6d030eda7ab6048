// Builds the swagger 2.0 document served at /openapi/v2 (JSON), for clients
// that predate OpenAPI v3 support. Same paths and definitions as v3.
import {
  OPERATION_DEFINITIONS,
  QUERY_PARAMETER_DOCS,
  RESPONSE_CONTENT_TYPES,
  resourcePaths,
  type ApiOperation,
  type ApiPath,
} from './api-operations.js';
import { applyFieldExtensions } from './builtin-definitions.js';
import { closure, KUBERNETES_VERSION, type OpenApiOptions } from './openapi-v3.js';
import { resolveResources } from './resource-schemas.js';
import { DEFINITION_REF_PREFIX_V2, DEFINITION_REF_PREFIX_V3, type Definitions, type JsonSchema, type ResourceInfo } from './schema-types.js';

export interface SwaggerV2Document {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  definitions: Definitions;
  securityDefinitions: Record<string, unknown>;
  security: Array<Record<string, string[]>>;
}

/**
 * Rewrites v3 component refs to v2 definition refs, and unwraps the
 * `allOf: [{$ref}]` that v3 needs around a described reference (swagger 2.0
 * clients expect `$ref` with a sibling description).
 */
export function toV2Refs<T>(value: T): T {
  const text = JSON.stringify(value).split(`"${DEFINITION_REF_PREFIX_V3}`).join(`"${DEFINITION_REF_PREFIX_V2}`);
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const s = v as JsonSchema;
    const only = s.allOf?.length === 1 ? s.allOf[0] : undefined;
    if (only?.$ref === undefined || s.$ref !== undefined) return v;
    const { allOf: _allOf, ...rest } = s;
    return { ...rest, $ref: only.$ref };
  }) as T;
}

const v2Ref = (definition: string): JsonSchema => ({ $ref: DEFINITION_REF_PREFIX_V2 + definition });

function v2Operation(op: ApiOperation): Record<string, unknown> {
  const parameters: Array<Record<string, unknown>> = [];
  if (op.requestDefinition !== undefined) {
    parameters.push({ name: 'body', in: 'body', required: op.method !== 'delete', schema: v2Ref(op.requestDefinition) });
  }
  for (const q of op.query) {
    const doc = QUERY_PARAMETER_DOCS[q];
    parameters.push({ name: q, in: 'query', type: doc.type, uniqueItems: true, description: doc.description });
  }
  const responses: Record<string, unknown> = {};
  for (const code of op.successCodes) responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', schema: v2Ref(op.responseDefinition) };
  responses['401'] = { description: 'Unauthorized' };
  return {
    description: op.description,
    consumes: op.patchBody ?? ['*/*'],
    produces: RESPONSE_CONTENT_TYPES,
    schemes: ['https'],
    operationId: op.operationId,
    ...(parameters.length > 0 ? { parameters } : {}),
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': { ...op.gvk },
  };
}

function v2Path(p: ApiPath): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const op of p.operations) item[op.method] = v2Operation(op);
  item.parameters = [
    ...p.pathParameters.map((n) => ({ name: n, in: 'path', required: true, type: 'string', uniqueItems: true })),
    { name: 'pretty', in: 'query', type: 'string', uniqueItems: true, description: "If 'true', then the output is pretty printed." },
  ];
  return item;
}

export function buildOpenApiV2(resources: ResourceInfo[], options: OpenApiOptions = {}): SwaggerV2Document {
  const { definitions, resolved } = resolveResources(resources, options.catalog);
  const paths: Record<string, Record<string, unknown>> = {};
  const roots = new Set(OPERATION_DEFINITIONS);
  for (const r of resolved) {
    for (const p of resourcePaths(r)) {
      paths[p.path] = v2Path(p);
      for (const op of p.operations) {
        roots.add(op.responseDefinition);
        if (op.requestDefinition) roots.add(op.requestDefinition);
      }
    }
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths,
    definitions: toV2Refs(applyFieldExtensions(closure(definitions, roots), options.fieldExtensions)),
    securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' } },
    security: [{ BearerToken: [] }],
  };
}
