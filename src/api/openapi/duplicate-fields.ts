// JSON.parse keeps the last of two equal keys silently; upstream's strict
// decoder reports them. This scanner walks the raw body once and returns the
// path of every repeated key, in upstream's notation ("spec.replicas",
// "spec.containers[0].name"), so the caller can report `duplicate field "<path>"`.

class ScanError extends Error {}

export function findDuplicateJsonFields(rawBody: string): string[] {
  const s = rawBody;
  let i = 0;
  const found: string[] = [];

  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) throw new ScanError('unterminated string');
    i++;
    return JSON.parse(s.slice(start, i)) as string;
  };
  const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

  const value = (path: string): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') throw new ScanError('expected key');
        const key = readString();
        const child = join(path, key);
        if (keys.has(key)) found.push(child);
        keys.add(key);
        ws();
        if (s[i] !== ':') throw new ScanError('expected colon');
        i++;
        value(child);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        throw new ScanError('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        throw new ScanError('expected , or ]');
      }
    }
    if (c === '"') {
      readString();
      return;
    }
    // number, true, false, null: skip to the next delimiter.
    const start = i;
    while (i < s.length && !',}] \n\r\t'.includes(s[i] as string)) i++;
    if (i === start) throw new ScanError('unexpected token');
  };

  try {
    value('');
  } catch (e) {
    // Malformed JSON is the parser's to report; return what was found so far.
    if (!(e instanceof ScanError) && !(e instanceof SyntaxError)) throw e;
  }
  return found;
}
