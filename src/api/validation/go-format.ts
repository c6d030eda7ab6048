// Renders bad values the way upstream's error messages print Go values
// (%q for strings, %v for numbers, %#v for maps, slices and structs), so the
// text of a 422 matches a real API server byte for byte where it matters.

/** A value whose Go rendering is already known (a struct printed with %#v). */
export class GoLiteral {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** strconv.Quote for the common cases: printable text kept, control bytes escaped Go-style. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoLiteral);

function goTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  return 'interface {}';
}

/** Go's %#v for JSON-ish values: map[string]string{"a":"b"}, []string{"x", "y"}. */
export function goSyntax(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    const types = new Set(v.map(goTypeOf));
    const elem = types.size === 1 ? [...types][0]! : 'interface {}';
    return `[]${elem}{${v.map(goSyntax).join(', ')}}`;
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    const types = new Set(keys.map((k) => goTypeOf(v[k])));
    const elem = types.size === 1 ? [...types][0]! : 'interface {}';
    return `map[string]${elem}{${keys.map((k) => `${goQuote(k)}:${goSyntax(v[k])}`).join(', ')}}`;
  }
  return String(v);
}

/** %#v of a *metav1.LabelSelector as upstream prints it in immutability errors. */
export function goLabelSelector(sel: unknown): GoLiteral {
  if (!isPlainObject(sel)) return new GoLiteral('(*v1.LabelSelector)(nil)');
  const ml = isPlainObject(sel.matchLabels) ? goSyntax(sel.matchLabels) : 'map[string]string(nil)';
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : undefined;
  const me = exprs
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map((e) => {
          const r = isPlainObject(e) ? e : {};
          const values = Array.isArray(r.values) ? goSyntax(r.values) : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${goQuote(String(r.key ?? ''))}, Operator:${goQuote(String(r.operator ?? ''))}, Values:${values}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`);
}

/** %#v of an intstr.IntOrString value. */
export function goIntOrString(v: unknown): GoLiteral {
  if (typeof v === 'number') return new GoLiteral(`intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`);
  return new GoLiteral(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(String(v ?? ''))}}`);
}

/**
 * A compact stand-in for the go-cmp diff upstream appends to some Forbidden
 * messages: same frame (`  core.PodSpec{ ... }`), one -/+ line per changed field.
 */
export function goStructDiff(typeName: string, oldObj: Record<string, unknown>, newObj: Record<string, unknown>, equal: (a: unknown, b: unknown) => boolean): string {
  const lines = [`  ${typeName}{`];
  const goName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
  for (const k of new Set([...Object.keys(oldObj), ...Object.keys(newObj)])) {
    if (equal(oldObj[k], newObj[k])) continue;
    if (oldObj[k] !== undefined) lines.push(`- \t${goName(k)}: ${JSON.stringify(oldObj[k])},`);
    if (newObj[k] !== undefined) lines.push(`+ \t${goName(k)}: ${JSON.stringify(newObj[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/** %#v of a map[string]string field: `map[string]string(nil)` when absent. */
export function goStringMap(v: unknown): GoLiteral {
  if (!isPlainObject(v)) return new GoLiteral('map[string]string(nil)');
  const keys = Object.keys(v).sort();
  return new GoLiteral(`map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(v[k]))}`).join(', ')}}`);
}
