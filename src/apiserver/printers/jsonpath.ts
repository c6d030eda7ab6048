// The JSONPath subset CRD additionalPrinterColumns use: dotted fields (with
// `\.` escapes), ['quoted'] keys, [n] / [*] indexes and [?(@.a.b==value)]
// filters. Evaluation never throws on missing data: it yields no results.

import { isObj } from './access.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: unknown };

export class JsonPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

export interface CompiledPath {
  source: string;
  find(root: unknown): unknown[];
}

/** Reads a dotted field name up to the next unescaped `.` or `[`. */
function readName(src: string, start: number): [string, number] {
  let name = '';
  let i = start;
  while (i < src.length && src[i] !== '.' && src[i] !== '[') {
    if (src[i] === '\\' && i + 1 < src.length) {
      name += src[i + 1];
      i += 2;
    } else {
      name += src[i];
      i++;
    }
  }
  return [name, i];
}

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = Number(t);
  if (t !== '' && !Number.isNaN(n)) return n;
  throw new JsonPathError(`unsupported filter value ${text}`);
}

function parseFilter(body: string): Step {
  // body is the text inside ?( ... )
  const m = /^\s*@((?:\.[^.=!<>\s]+)*)\s*(?:(==|!=)\s*(.+?))?\s*$/.exec(body);
  if (!m) throw new JsonPathError(`unsupported filter ${body}`);
  const path = m[1].split('.').filter((p) => p !== '');
  if (m[2] === undefined) return { kind: 'filter', path, op: 'exists' };
  return { kind: 'filter', path, op: m[2] === '==' ? '==' : '!=', value: parseLiteral(m[3]) };
}

function parseBracket(inner: string): Step {
  const s = inner.trim();
  if (s === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(s)) return { kind: 'index', index: Number(s) };
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) return { kind: 'field', name: s.slice(1, -1) };
  if (s.startsWith('?(') && s.endsWith(')')) return parseFilter(s.slice(2, -1));
  throw new JsonPathError(`unsupported subscript [${inner}]`);
}

function parse(source: string): Step[] {
  let src = source.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1).trim();
  if (src.startsWith('$')) src = src.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '.') {
      if (src[i + 1] === '.') throw new JsonPathError('recursive descent is not supported');
      const [name, next] = readName(src, i + 1);
      if (name !== '') steps.push({ kind: 'field', name });
      i = next;
    } else if (c === '[') {
      // Find the matching ']' while skipping quoted text.
      let j = i + 1;
      let quote = '';
      let depth = 1;
      for (; j < src.length; j++) {
        const d = src[j];
        if (quote) {
          if (d === quote) quote = '';
        } else if (d === '"' || d === "'") quote = d;
        else if (d === '[') depth++;
        else if (d === ']' && --depth === 0) break;
      }
      if (j >= src.length) throw new JsonPathError(`unterminated [ in ${source}`);
      steps.push(parseBracket(src.slice(i + 1, j)));
      i = j + 1;
    } else {
      const [name, next] = readName(src, i);
      steps.push({ kind: 'field', name });
      i = next;
    }
  }
  return steps;
}

function walk(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function apply(step: Step, values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (step.kind) {
      case 'field':
        if (isObj(v) && step.name in v) out.push(v[step.name]);
        break;
      case 'index':
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) out.push(v[idx]);
        }
        break;
      case 'all':
        if (Array.isArray(v)) out.push(...v);
        else if (isObj(v)) out.push(...Object.values(v));
        break;
      case 'filter': {
        const items = Array.isArray(v) ? v : isObj(v) ? Object.values(v) : [];
        for (const item of items) {
          const got = walk(item, step.path);
          if (step.op === 'exists' ? got !== undefined && got !== null : (got === step.value) === (step.op === '==')) out.push(item);
        }
        break;
      }
    }
  }
  return out;
}

export function compileJsonPath(source: string): CompiledPath {
  const steps = parse(source);
  return {
    source,
    find(root) {
      let values: unknown[] = [root];
      for (const s of steps) values = apply(s, values);
      return values;
    },
  };
}

/** JSON text with sorted keys, as Go's encoder writes maps. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** How the jsonpath printer renders one value as text. */
export function jsonPathText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  return goJson(v);
}
