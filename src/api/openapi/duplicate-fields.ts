// JSON.parse keeps the last of two equal keys silently; upstream's strict
// decoder reports them. This scanner walks the raw body once and returns the
// path of every repeated key, in upstream's notation ("spec.replicas",
// "spec.containers[0].name"), so the caller can report `duplicate field "<path>"`.
// It runs on every JSON write, so it reads char codes, keeps the path as a
// stack of segments joined only for a duplicate, and unescapes a key only if
// it holds a backslash.

class ScanError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Path segments: a key, or an array index. */
type Segment = string | number;

function pathString(stack: Segment[], key: string): string {
  let out = '';
  for (const seg of stack) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? key : `${out}.${key}`;
}

export function findDuplicateJsonFields(rawBody: string): string[] {
  const s = rawBody;
  const n = s.length;
  let i = 0;
  const found: string[] = [];
  const stack: Segment[] = [];

  const ws = (): void => {
    while (i < n && isWs(s.charCodeAt(i))) i++;
  };
  /** Skips a string starting at i; returns whether it held an escape. */
  const skipString = (): boolean => {
    i++; // opening quote
    let escaped = false;
    for (;;) {
      if (i >= n) throw new ScanError('unterminated string');
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else i++;
    }
    i++;
    return escaped;
  };
  const readKey = (): string => {
    const start = i;
    const escaped = skipString();
    return escaped ? (JSON.parse(s.slice(start, i)) as string) : s.slice(start + 1, i - 1);
  };

  /** After a member: true past the closing `close`, false past a comma. */
  const closes = (close: number): boolean => {
    ws();
    const d = s.charCodeAt(i);
    if (d !== COMMA && d !== close) throw new ScanError(`expected , or ${String.fromCharCode(close)}`);
    i++;
    return d === close;
  };

  const value = (): void => {
    ws();
    const c = s.charCodeAt(i);
    if (c === LBRACE) {
      i++;
      ws();
      if (s.charCodeAt(i) === RBRACE) {
        i++;
        return;
      }
      // Most objects are small: a list beats a Set until it is not.
      const keys: string[] = [];
      let keySet: Set<string> | undefined;
      for (;;) {
        ws();
        if (s.charCodeAt(i) !== QUOTE) throw new ScanError('expected key');
        const key = readKey();
        const seen = keySet ? keySet.has(key) : keys.includes(key);
        if (seen) found.push(pathString(stack, key));
        else if (keySet) keySet.add(key);
        else if (keys.push(key) > 16) keySet = new Set(keys);
        ws();
        if (s.charCodeAt(i) !== COLON) throw new ScanError('expected colon');
        i++;
        stack.push(key);
        value();
        stack.pop();
        if (closes(RBRACE)) return;
      }
    }
    if (c === LBRACKET) {
      i++;
      ws();
      if (s.charCodeAt(i) === RBRACKET) {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        stack.push(k);
        value();
        stack.pop();
        if (closes(RBRACKET)) return;
      }
    }
    if (c === QUOTE) {
      skipString();
      return;
    }
    // number, true, false, null: skip to the next delimiter.
    const start = i;
    for (; i < n; i++) {
      const d = s.charCodeAt(i);
      if (d === COMMA || d === RBRACE || d === RBRACKET || isWs(d)) break;
    }
    if (i === start) throw new ScanError('unexpected token');
  };

  try {
    value();
  } catch (e) {
    // Malformed JSON is the parser's to report; return what was found so far.
    if (!(e instanceof ScanError) && !(e instanceof SyntaxError)) throw e;
  }
  return found;
}
