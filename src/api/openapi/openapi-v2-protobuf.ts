// Encodes the swagger 2.0 document as the gnostic `openapi.v2.Document`
// protobuf, which kubectl 1.27 and 1.28 request from /openapi/v2 for
// `explain` (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf).
// Field numbers are those of gnostic's OpenAPIv2.proto. Vendor extensions
// travel as YAML text; JSON is valid YAML.
import { ProtoWriter } from './proto-writer.js';
import type { SwaggerV2Document } from './openapi-v2.js';
import type { JsonSchema } from './schema-types.js';
import { isObject } from '../json.js';

export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** True when an Accept header asks for the protobuf form. */
export function wantsOpenApiV2Protobuf(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('protobuf');
}

type Json = Record<string, unknown>;

function vendorExtensions(w: ProtoWriter, field: number, obj: Json): void {
  for (const [name, value] of Object.entries(obj)) {
    if (!name.startsWith('x-')) continue;
    w.message(field, (na) => na.string(1, name).message(2, (any) => any.string(2, JSON.stringify(value))));
  }
}

function schema(w: ProtoWriter, s: JsonSchema): void {
  w.string(1, s.$ref).string(2, s.format).string(4, s.description).strings(19, s.required);
  const additional = s.additionalProperties;
  if (additional !== undefined) {
    w.message(21, (a) => (typeof additional === 'boolean' ? a.bool(2, additional) : a.message(1, (x) => schema(x, additional))));
  }
  if (s.type !== undefined) w.message(22, (t) => t.strings(1, [s.type as string]));
  if (s.items) w.message(23, (i) => i.message(1, (x) => schema(x, s.items as JsonSchema)));
  for (const member of s.allOf ?? []) w.message(24, (x) => schema(x, member));
  if (s.properties) {
    const props = s.properties;
    w.message(25, (p) => {
      for (const [name, prop] of Object.entries(props)) p.message(1, (ns) => ns.string(1, name).message(2, (x) => schema(x, prop)));
    });
  }
  vendorExtensions(w, 31, s as Json);
}

function parameter(w: ProtoWriter, p: Json): void {
  const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  w.message(1, (param) => {
    if (p.in === 'body') {
      param.message(1, (b) =>
        b
          .string(1, str('description'))
          .string(2, str('name'))
          .string(3, 'body')
          .bool(4, p.required === true)
          .message(5, (x) => schema(x, (p.schema ?? {}) as JsonSchema)),
      );
      return;
    }
    // NonBodyParameter: query = 3, path = 4; field numbers differ by one after `name`.
    const isPath = p.in === 'path';
    param.message(2, (nb) =>
      nb.message(isPath ? 4 : 3, (q) => {
        q.bool(1, p.required === true).string(2, str('in')).string(3, str('description')).string(4, str('name'));
        if (isPath) q.string(5, str('type')).bool(19, p.uniqueItems === true);
        else q.string(6, str('type')).bool(20, p.uniqueItems === true);
      }),
    );
  });
}

function operation(w: ProtoWriter, op: Json): void {
  const strs = (k: string): string[] => (Array.isArray(op[k]) ? (op[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
  w.strings(1, strs('tags'))
    .string(3, typeof op.description === 'string' ? op.description : undefined)
    .string(5, typeof op.operationId === 'string' ? op.operationId : undefined)
    .strings(6, strs('produces'))
    .strings(7, strs('consumes'));
  for (const p of Array.isArray(op.parameters) ? op.parameters : []) if (isObject(p)) w.message(8, (x) => parameter(x, p));
  const responses = isObject(op.responses) ? op.responses : {};
  w.message(9, (rs) => {
    for (const [code, r] of Object.entries(responses)) {
      if (!isObject(r)) continue;
      rs.message(1, (nr) =>
        nr.string(1, code).message(2, (rv) =>
          rv.message(1, (resp) => {
            resp.string(1, typeof r.description === 'string' ? r.description : undefined);
            if (isObject(r.schema)) resp.message(2, (si) => si.message(1, (x) => schema(x, r.schema as JsonSchema)));
          }),
        ),
      );
    }
  });
  w.strings(10, strs('schemes'));
  vendorExtensions(w, 13, op);
}

const PATH_ITEM_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

export function encodeOpenApiV2Protobuf(doc: SwaggerV2Document): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  w.message(2, (info) => info.string(1, doc.info.title).string(2, doc.info.version));
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries(doc.paths)) {
      paths.message(2, (np) =>
        np.string(1, path).message(2, (pi) => {
          for (const [method, field] of Object.entries(PATH_ITEM_FIELDS)) {
            const op = item[method];
            if (isObject(op)) pi.message(field, (x) => operation(x, op));
          }
          const params = item.parameters;
          for (const p of Array.isArray(params) ? params : []) if (isObject(p)) pi.message(9, (x) => parameter(x, p));
        }),
      );
    }
  });
  w.message(9, (defs) => {
    for (const [name, s] of Object.entries(doc.definitions)) defs.message(1, (ns) => ns.string(1, name).message(2, (x) => schema(x, s)));
  });
  return w.finish();
}
