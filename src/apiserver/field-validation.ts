// Server-side field validation (?fieldValidation=Strict|Warn|Ignore): unknown
// and duplicate fields fail the request under Strict (400, as upstream),
// become Warning headers under Warn, and wrong types always fail.
import { decodeFailureMessage, findDuplicateJsonFields, SchemaNotFoundError, validateAgainstSchema, type FieldValidationMode } from '../api/openapi/index.js';
import type { KubeObject } from '../api/meta.js';
import { mediaType } from './codec.js';
import { crdVersionInfo } from './crd/crd-info.js';
import { unknownFields } from './crd/structural.js';
import type { RequestContext } from './rest/context.js';
import { badRequest } from './status.js';

export function fieldValidationMode(ctx: RequestContext): FieldValidationMode {
  const v = ctx.query.get('fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') {
    throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
  }
  return v;
}

/** Validates a decoded body against the kind's schema, per the request's fieldValidation mode. */
export function validateFields(ctx: RequestContext, obj: KubeObject, opts: { rawBody?: Buffer; style?: 'decode' | 'apply' } = {}): void {
  const mode = fieldValidationMode(ctx);
  const r = ctx.resource;
  const gvk = { group: r.group, version: ctx.version, kind: r.kind };
  if (r.crd) return validateCustomFields(ctx, mode, obj);
  let result;
  try {
    result = validateAgainstSchema(gvk, obj, mode, { style: opts.style ?? 'decode' });
  } catch (err) {
    if (err instanceof SchemaNotFoundError) return;
    throw err;
  }
  const isJson = opts.rawBody && mediaType(ctx.headers['content-type']).endsWith('json');
  const duplicates = mode !== 'Ignore' && isJson ? findDuplicateJsonFields(opts.rawBody!.toString('utf8')) : [];
  if (mode === 'Strict' || result.errors.some((e) => e.type === 'type')) {
    const message = decodeFailureMessage(gvk, result.errors, mode === 'Strict' ? duplicates : []);
    if (message) throw badRequest(message);
  }
  if (mode === 'Warn') {
    ctx.warnings.push(...result.warnings, ...duplicates.map((d) => `duplicate field "${d}"`));
  }
}

/** Custom resources: fields their schema would prune are unknown fields. */
function validateCustomFields(ctx: RequestContext, mode: FieldValidationMode, obj: KubeObject): void {
  if (mode === 'Ignore') return;
  const r = ctx.resource;
  const unknown = unknownFields(obj, crdVersionInfo(r, ctx.version)?.schema);
  if (!unknown.length) return;
  if (mode === 'Strict') {
    throw badRequest(`${r.kind} in version "${ctx.version}" cannot be handled as a ${r.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  ctx.warnings.push(...unknown.map((f) => `unknown field "${f}"`));
}
