// Label selectors: the query-string syntax (`app=web,tier notin (db)`), the
// metav1.LabelSelector object form, matching and canonical printing, with the
// semantics and error wording of upstream's labels package.

export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted and de-duplicated, as upstream stores them. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** Sorted by key; all must match. No requirements selects everything. */
  readonly requirements: readonly Requirement[];
  /** A nil metav1.LabelSelector: matches nothing (see labelSelectorFromObject). */
  readonly nothing?: boolean;
}

/** Bad selector syntax or an invalid key/value; the API server answers 400. */
export class SelectorParseError extends Error {
  override readonly name = 'SelectorParseError';
}

export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly Requirement[] });
export const NOTHING: LabelSelector = Object.freeze({
  requirements: Object.freeze([]) as readonly Requirement[],
  nothing: true,
});

// ---- label key / value checks (kept local; full validators live elsewhere) ----

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const eg = examples.map((e) => `'${e}', `).join('or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const QUALIFIED_NAME_MSG = regexError(
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  QUALIFIED_NAME_FMT,
  'MyName',
  'my.name',
  '123-abc',
);

/** Problems with a label key (qualified name with optional DNS-subdomain prefix); empty when valid. */
export function labelKeyErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) {
        errs.push(
          'prefix part ' +
            regexError(
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
              DNS1123_SUBDOMAIN_FMT,
              'example.com',
            ),
        );
      }
    }
  } else {
    return [`a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${QUALIFIED_NAME_MSG}`);
  return errs;
}

/** Problems with a label value; empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

// Go's field.Invalid rendering: `<path>: Invalid value: "<v>": <detail>`.
function invalid(path: string, value: string, detail: string, raw = false): string {
  return `${path ? `${path}: ` : ''}Invalid value: ${raw ? value : JSON.stringify(value)}: ${detail}`;
}

const INT64_RE = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * Builds a validated requirement (values sorted and de-duplicated), throwing
 * SelectorParseError with upstream's wording when it is invalid.
 */
export function newRequirement(key: string, operator: SelectorOperator, values: readonly string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length) errs.push(invalid('key', key, keyErrs.join('; ')));
  const vals = [...new Set(values)].sort();
  // Go prints the offending []string with %#v.
  const valuesShown = `[]string{${vals.map((v) => JSON.stringify(v)).join(', ')}}`;
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalid('values', valuesShown, "for 'in', 'notin' operators, values set can't be empty", true));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalid('values', valuesShown, 'exact-match compatibility requires one single value', true));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalid('values', valuesShown, 'values set must be empty for exists and does not exist', true));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalid('values', valuesShown, "for 'Gt', 'Lt' operators, exactly one value is required", true));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${JSON.stringify(operator)}`);
  }
  vals.forEach((v, i) => {
    const vErrs = labelValueErrors(v);
    if (vErrs.length) errs.push(invalid(`values[${i}][${key}]`, v, vErrs.join('; ')));
  });
  if (errs.length === 1) throw new SelectorParseError(errs[0]);
  if (errs.length > 1) throw new SelectorParseError(`[${errs.join(', ')}]`);
  return Object.freeze({ key, operator, values: Object.freeze(vals) });
}

function sortedByKey(reqs: Requirement[]): Requirement[] {
  // Stable sort keeps the input order of requirements sharing a key.
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---- the lexer and parser of the string form ----

type Tok =
  | 'id'
  | 'in'
  | 'notin'
  | '!'
  | '!='
  | '='
  | '=='
  | '>'
  | '<'
  | '('
  | ')'
  | ','
  | 'eos'
  | 'error';

interface Item {
  tok: Tok;
  lit: string;
}

const SYMBOLS = new Set(['!', '!=', '=', '==', '>', '<', '(', ')', ',']);
const isSpecial = (c: string) => '=!(),<>'.includes(c);
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isWhitespace(s[i]!)) i++;
    if (i >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    const c = s[i]!;
    if (isSpecial(c)) {
      // Longest run of special characters that is still a known symbol.
      let buf = '';
      let best: Item | undefined;
      while (i < s.length && isSpecial(s[i]!)) {
        buf += s[i];
        if (SYMBOLS.has(buf)) best = { tok: buf as Tok, lit: buf };
        else if (best) {
          buf = buf.slice(0, -1);
          break;
        }
        i++;
      }
      if (!best) {
        items.push({ tok: 'error', lit: `error expected: keyword found '${buf}'` });
        items.push({ tok: 'eos', lit: '' });
        return items;
      }
      items.push(best);
      continue;
    }
    let j = i;
    while (j < s.length && !isSpecial(s[j]!) && !isWhitespace(s[j]!)) j++;
    const word = s.slice(i, j);
    i = j;
    items.push({ tok: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'id', lit: word });
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  // In a value position the keywords `in`/`notin` are plain identifiers.
  private peek(values: boolean): Item {
    const it = this.items[Math.min(this.pos, this.items.length - 1)]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  private next(values: boolean): Item {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'eos') return reqs;
      if (tok !== 'id' && tok !== '!') {
        throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next(true);
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek(true);
      if (t2.tok !== 'id' && t2.tok !== '!') {
        throw new SelectorParseError(`found '${t2.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): Requirement {
    let negated = false;
    let it = this.next(true);
    if (it.tok === '!') {
      negated = true;
      it = this.next(true);
    }
    if (it.tok !== 'id') throw new SelectorParseError(`found '${it.lit}', expected: identifier`);
    const key = it.lit;
    const keyErrs = labelKeyErrors(key);
    if (keyErrs.length) throw new SelectorParseError(invalid('', key, keyErrs.join('; ')));
    const following = this.peek(true).tok;
    if (following === 'eos' || following === ',') return newRequirement(key, negated ? '!' : 'exists', []);
    const op = this.operator();
    if (op === 'in' || op === 'notin') return newRequirement(key, op, this.valueSet());
    return newRequirement(key, op, [this.exactValue()]);
  }

  private operator(): SelectorOperator {
    const { tok, lit } = this.next(false);
    switch (tok) {
      case '!':
        return '!';
      case '=':
      case '==':
      case '!=':
      case 'in':
      case 'notin':
        return tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorParseError(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private valueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const first = this.peek(true);
    if (first.tok === ')') {
      this.next(true);
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') {
      throw new SelectorParseError(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    const close = this.next(true);
    if (close.tok !== ')') throw new SelectorParseError(`found '${first.lit}', expected: ')'`);
    return values;
  }

  // Empty slots (`(a,,b)`, `(,a)`, `(a,)`) stand for the empty value.
  private identifierList(): string[] {
    const out: string[] = [];
    for (;;) {
      const it = this.next(true);
      if (it.tok === 'id') {
        out.push(it.lit);
        const t2 = this.peek(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return out;
        throw new SelectorParseError(`found '${t2.lit}', expected: ',' or ')'`);
      }
      if (it.tok === ',') {
        if (out.length === 0) out.push('');
        const t2 = this.peek(true);
        if (t2.tok === ')') {
          out.push('');
          return out;
        }
        if (t2.tok === ',') {
          this.next(true);
          out.push('');
        }
        continue;
      }
      throw new SelectorParseError(`found '${it.lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string {
    const t = this.peek(true);
    if (t.tok === 'eos' || t.tok === ',') return '';
    const it = this.next(true);
    if (it.tok === 'id') return it.lit;
    throw new SelectorParseError(`found '${it.lit}', expected: identifier`);
  }
}

/** Parses the query-string form (`?labelSelector=`); the empty string selects everything. */
export function parseLabelSelector(s: string): LabelSelector {
  const reqs = new Parser(lex(s)).parse();
  return Object.freeze({ requirements: Object.freeze(sortedByKey(reqs)) });
}

// ---- metav1.LabelSelector ----

export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementObject[] | null;
}

const OBJECT_OPERATORS: Record<string, SelectorOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a metav1.LabelSelector as upstream's LabelSelectorAsSelector does:
 * a null/undefined selector selects nothing, an empty one selects everything.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return NOTHING;
  const labels = Object.entries(sel.matchLabels ?? {});
  const exprs = sel.matchExpressions ?? [];
  if (labels.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = labels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const e of exprs) {
    const op = OBJECT_OPERATORS[e.operator];
    if (op === undefined) throw new SelectorParseError(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, e.values ?? []));
  }
  return Object.freeze({ requirements: Object.freeze(sortedByKey(reqs)) });
}

/**
 * Builds an equality-only selector from a label map (e.g. a Service's
 * spec.selector). Like upstream's SelectorFromSet it does not validate: the
 * map comes from an object that passed validation.
 */
export function selectorFromSet(set: Record<string, string>): LabelSelector {
  const reqs: Requirement[] = Object.entries(set).map(([key, v]) => Object.freeze({ key, operator: '=', values: Object.freeze([v]) }));
  return Object.freeze({ requirements: Object.freeze(sortedByKey(reqs)) });
}

// ---- matching and printing ----

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const lv = parseInt64(value!);
      const rv = parseInt64(r.values[0]!);
      if (lv === undefined || rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | null | undefined): boolean {
  if (sel.nothing) return false;
  const set = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, set));
}

/** True for the select-everything selector (not for the nil, select-nothing one). */
export function isEmptySelector(sel: LabelSelector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

/** True for the selector of a nil metav1.LabelSelector. */
export function selectsNothing(sel: LabelSelector): boolean {
  return sel.nothing === true;
}

function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values.join(',')}`;
    case 'lt':
      return `${r.key}<${r.values.join(',')}`;
    default:
      return `${r.key}${r.operator}${r.values.join(',')}`;
  }
}

/** Canonical string form; parses back to an equal selector. Nothing and everything both print as "". */
export function selectorToString(sel: LabelSelector): string {
  return sel.requirements.map(requirementToString).join(',');
}
