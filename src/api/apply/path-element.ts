// Path elements of structured-merge-diff field paths: how a FieldsV1 key
// ("f:name", "k:{...}", "v:...", "i:0") names one step into an object, and how
// conflict messages print it (".name", `[name="app"]`, `[="x"]`, "[0]").

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  /** List-map item: its key fields, sorted by name. */
  | { readonly kind: 'key'; readonly fields: ReadonlyArray<readonly [string, unknown]> }
  /** Set item, selected by its value. */
  | { readonly kind: 'value'; readonly value: unknown }
  /** Item of a list with no usable key (FieldsV1 "i:"). */
  | { readonly kind: 'index'; readonly index: number };

export type Path = readonly PathElement[];

export const fieldElement = (name: string): PathElement => ({ kind: 'field', name });
export const valueElement = (value: unknown): PathElement => ({ kind: 'value', value });
export const indexElement = (index: number): PathElement => ({ kind: 'index', index });
export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'key', fields: sorted };
}

/** JSON with object keys sorted, so equal values always serialize alike. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const serialized = new WeakMap<PathElement, string>();

/** The FieldsV1 key of an element; also its identity inside a FieldSet (memoized: elements are immutable). */
export function serializeElement(pe: PathElement): string {
  if (pe.kind === 'field') return `f:${pe.name}`;
  let s = serialized.get(pe);
  if (s === undefined) {
    s = pe.kind === 'key' ? `k:${keyJson(pe.fields)}` : pe.kind === 'value' ? `v:${canonicalJson(pe.value)}` : `i:${pe.index}`;
    serialized.set(pe, s);
  }
  return s;
}

// The canonical JSON of a key element's fields. They are kept sorted by name,
// so when the names are also distinct the object can be written directly.
function keyJson(fields: ReadonlyArray<readonly [string, unknown]>): string {
  let out = '{';
  for (let i = 0; i < fields.length; i++) {
    const [name, value] = fields[i]!;
    if (i > 0 && !(fields[i - 1]![0] < name)) return canonicalJson(Object.fromEntries(fields));
    out += `${i > 0 ? ',' : ''}${JSON.stringify(name)}:${canonicalJson(value)}`;
  }
  return `${out}}`;
}

export class FieldPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldPathError';
  }
}

/** Parses a FieldsV1 key. Returns undefined for prefixes this version does not know (upstream skips those). */
export function parseElement(s: string): PathElement | undefined {
  const prefix = s.slice(0, 2);
  const rest = s.slice(2);
  switch (prefix) {
    case 'f:':
      return fieldElement(rest);
    case 'k:': {
      const parsed = parseJson(rest, s);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FieldPathError(`invalid key element ${s}`);
      return keyElement(Object.entries(parsed));
    }
    case 'v:':
      return valueElement(parseJson(rest, s));
    case 'i:': {
      const n = Number(rest);
      if (!Number.isInteger(n) || n < 0) throw new FieldPathError(`invalid index element ${s}`);
      return indexElement(n);
    }
    default:
      return undefined;
  }
}

function parseJson(text: string, whole: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FieldPathError(`invalid path element ${whole}`);
  }
}

const KIND_RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

/** Upstream's order: fields by name, then keyed items, then set values, then indices. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_RANK[a.kind] - KIND_RANK[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key': {
      const bf = (b as typeof a).fields;
      for (let i = 0; i < Math.min(a.fields.length, bf.length); i++) {
        const c = compareStrings(a.fields[i]![0], bf[i]![0]) || compareValues(a.fields[i]![1], bf[i]![1]);
        if (c !== 0) return c;
      }
      return a.fields.length - bf.length;
    }
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function valueRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(v) ? 4 : 5;
  }
}

function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return compareStrings(canonicalJson(a), canonicalJson(b));
}

/** One element as upstream prints it in conflict messages. */
export function elementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([k, v]) => `${k}=${canonicalJson(v)}`).join(',')}]`;
    case 'value':
      return `[=${canonicalJson(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** `.spec.containers[name="app"].image` */
export const pathToString = (path: Path): string => path.map(elementToString).join('');
