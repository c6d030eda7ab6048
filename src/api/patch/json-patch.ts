// JSON patch (RFC 6902), applied with fast-json-patch; its errors are mapped
// to PatchError the way upstream answers: a malformed operation is a 400, an
// operation that does not apply to the object (or a failed `test`) a 422.
import jsonpatch from 'fast-json-patch';
import { PatchError } from './errors.js';

type JsonPatchErrorName = InstanceType<typeof jsonpatch.JsonPatchError>['name'];

const MALFORMED = new Set<JsonPatchErrorName>([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

interface Op {
  op?: unknown;
  path?: unknown;
  from?: unknown;
}

// Messages shaped like those of the Go json-patch library the API server uses.
function describe(name: JsonPatchErrorName, op: Op | undefined, fallback: string): string {
  const kind = typeof op?.op === 'string' ? op.op : 'unknown';
  const path = typeof op?.path === 'string' ? op.path : '';
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${kind} operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${kind} operation does not apply: doc is missing from path: ${JSON.stringify(op?.from ?? '')}: missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${kind} operation does not apply: ${JSON.stringify(path)}: index out of bounds`;
    case 'OPERATION_OP_INVALID':
      return `Unexpected kind: ${kind}`;
    default:
      return fallback.split('\n')[0] ?? fallback;
  }
}

/** Applies an RFC 6902 patch (a parsed JSON array of operations) without mutating `original`. */
export function applyJsonPatch<T = Record<string, unknown>>(original: unknown, patch: unknown): T {
  if (!Array.isArray(patch)) throw new PatchError(400, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    const doc = structuredClone(original);
    return jsonpatch.applyPatch(doc, patch as jsonpatch.Operation[], true, true).newDocument as T;
  } catch (e) {
    if (e instanceof jsonpatch.JsonPatchError) {
      const op = (e.operation ?? (e.index !== undefined ? patch[e.index] : undefined)) as Op | undefined;
      const status = MALFORMED.has(e.name) ? 400 : 422;
      throw new PatchError(status, describe(e.name, op, e.message), { cause: e });
    }
    throw e;
  }
}
