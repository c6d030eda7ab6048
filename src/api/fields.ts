// Field selectors (`?fieldSelector=status.phase=Running,spec.nodeName!=`):
// parsing with upstream's escaping, matching, and the per-resource field sets
// the API server lets clients select on.

export interface FieldRequirement {
  readonly field: string;
  /** `=` and `==` are the same test. */
  readonly operator: '=' | '!=';
  /** Unescaped. */
  readonly value: string;
}

export interface FieldSelector {
  /** All must hold; none selects everything. */
  readonly requirements: readonly FieldRequirement[];
}

/** Bad field selector syntax or escaping; the API server answers 400. */
export class FieldSelectorParseError extends Error {
  override readonly name = 'FieldSelectorParseError';
}

/** A selector on a field the resource does not support; the API server answers 400. */
export class UnsupportedFieldLabelError extends Error {
  override readonly name = 'UnsupportedFieldLabelError';
  constructor(readonly label: string) {
    super(`field label not supported: ${label}`);
  }
}

// Splits on commas that are not backslash-escaped; escapes stay in the terms.
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

// The first operator wins; at one position `!=` is tried before `==` and `=`.
function splitTerm(term: string): [string, '=' | '==' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** Undoes `\\`, `\,` and `\=`; any other escape or a bare `,`/`=` is an error, as upstream. */
export function unescapeFieldValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (i + 1 >= s.length) throw new FieldSelectorParseError('invalid field selector: invalid escape sequence: \\');
      const n = s[++i]!;
      if (n !== '\\' && n !== ',' && n !== '=') {
        throw new FieldSelectorParseError(`invalid field selector: invalid escape sequence: \\${n}`);
      }
      out += n;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. its code point.
      throw new FieldSelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  return out;
}

export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Parses `?fieldSelector=`; the empty string selects everything. Terms come out sorted. */
export function parseFieldSelector(s: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(s).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw new FieldSelectorParseError(`invalid selector: '${s}'; can't understand '${term}'`);
    const [field, op, raw] = parts;
    reqs.push(Object.freeze({ field, operator: op === '!=' ? '!=' : '=', value: unescapeFieldValue(raw) }));
  }
  return Object.freeze({ requirements: Object.freeze(reqs) });
}

/** A missing field reads as "" (so `spec.nodeName=` selects unscheduled pods). */
export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.requirements.every((r) => {
    const v = Object.hasOwn(fields, r.field) ? fields[r.field]! : '';
    return r.operator === '=' ? v === r.value : v !== r.value;
  });
}

export function fieldSelectorToString(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

export function isEmptyFieldSelector(sel: FieldSelector): boolean {
  return sel.requirements.length === 0;
}

/** The field names a selector uses, e.g. to check them against supportedFieldLabels. */
export function fieldSelectorFields(sel: FieldSelector): string[] {
  return sel.requirements.map((r) => r.field);
}

// ---- per-resource selectable fields ----

type Obj = Record<string, unknown>;

function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

// Go's zero values: absent strings are "", bools "false", ints "0".
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown): string => (v === true ? 'true' : 'false');
const int = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : '0');

type FieldsFn = (obj: unknown) => Record<string, string>;

function firstPodIP(obj: unknown): string {
  const ips = get(obj, 'status', 'podIPs');
  if (Array.isArray(ips) && ips.length > 0) return str(get(ips[0], 'ip'));
  return str(get(obj, 'status', 'podIP'));
}

// core/v1 Events and events.k8s.io/v1 Events share one store; accept either shape.
function eventFields(obj: unknown): Record<string, string> {
  const core = get(obj, 'involvedObject') !== undefined || get(obj, 'regarding') === undefined;
  const ref = core ? get(obj, 'involvedObject') : get(obj, 'regarding');
  const reportingController = str(get(obj, 'reportingComponent')) || str(get(obj, 'reportingController'));
  const source = str(get(obj, 'source', 'component')) || str(get(obj, 'deprecatedSource', 'component')) || reportingController;
  return {
    'involvedObject.kind': str(get(ref, 'kind')),
    'involvedObject.namespace': str(get(ref, 'namespace')),
    'involvedObject.name': str(get(ref, 'name')),
    'involvedObject.uid': str(get(ref, 'uid')),
    'involvedObject.apiVersion': str(get(ref, 'apiVersion')),
    'involvedObject.resourceVersion': str(get(ref, 'resourceVersion')),
    'involvedObject.fieldPath': str(get(ref, 'fieldPath')),
    reason: str(get(obj, 'reason')),
    reportingComponent: reportingController,
    source,
    type: str(get(obj, 'type')),
  };
}

const SPECIFIC_FIELDS: Record<string, FieldsFn> = {
  pods: (o) => ({
    'spec.nodeName': str(get(o, 'spec', 'nodeName')),
    'spec.restartPolicy': str(get(o, 'spec', 'restartPolicy')),
    'spec.schedulerName': str(get(o, 'spec', 'schedulerName')),
    'spec.serviceAccountName': str(get(o, 'spec', 'serviceAccountName')),
    'spec.hostNetwork': bool(get(o, 'spec', 'hostNetwork')),
    'status.phase': str(get(o, 'status', 'phase')),
    'status.podIP': firstPodIP(o),
    'status.nominatedNodeName': str(get(o, 'status', 'nominatedNodeName')),
  }),
  events: eventFields,
  secrets: (o) => ({ type: str(get(o, 'type')) }),
  nodes: (o) => ({ 'spec.unschedulable': bool(get(o, 'spec', 'unschedulable')) }),
  namespaces: (o) => ({ 'status.phase': str(get(o, 'status', 'phase')) }),
  replicasets: (o) => ({ 'status.replicas': int(get(o, 'status', 'replicas')) }),
  replicationcontrollers: (o) => ({ 'status.replicas': int(get(o, 'status', 'replicas')) }),
  jobs: (o) => ({ 'status.successful': int(get(o, 'status', 'succeeded')) }),
  certificatesigningrequests: (o) => ({ 'spec.signerName': str(get(o, 'spec', 'signerName')) }),
};

// Field names each resource accepts, computed once from an empty object.
const SPECIFIC_LABELS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(SPECIFIC_FIELDS).map(([r, fn]) => [r, Object.keys(fn({}))]),
);

const COMMON_LABELS = ['metadata.name', 'metadata.namespace'] as const;

/**
 * The fields of `obj` a field selector can test, for a resource given by its
 * plural name (`pods`, `events`, ...; a group suffix such as `jobs.batch` is ignored).
 */
export function fieldsOf(resource: string, obj: unknown): Record<string, string> {
  // Called for every watcher with a field selector on every event: one object, no spread.
  const r = Object.hasOwn(SPECIFIC_FIELDS, resource) ? resource : resource.split('.')[0]!;
  const out: Record<string, string> = Object.hasOwn(SPECIFIC_FIELDS, r) ? SPECIFIC_FIELDS[r]!(obj) : {};
  out['metadata.name'] = str(get(obj, 'metadata', 'name'));
  out['metadata.namespace'] = str(get(obj, 'metadata', 'namespace'));
  return out;
}

export function supportedFieldLabels(resource: string): string[] {
  return [...COMMON_LABELS, ...(SPECIFIC_LABELS[resource.split('.')[0]!] ?? [])];
}

/** Throws UnsupportedFieldLabelError on the first field `resource` cannot select on. */
export function checkFieldSelector(resource: string, sel: FieldSelector): void {
  const ok = new Set(supportedFieldLabels(resource));
  for (const r of sel.requirements) if (!ok.has(r.field)) throw new UnsupportedFieldLabelError(r.field);
}
