// `$(VAR)` expansion as upstream does it for command, args, env values and
// subPathExpr: `$$` escapes a `$`, unknown references stay as written.

export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        // An unclosed reference is kept as is.
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      const v = name === '' ? undefined : lookup(name);
      out += v ?? `$(${name})`;
      i = end;
      continue;
    }
    out += ch;
  }
  return out;
}

export const mapLookup = (...maps: ReadonlyMap<string, string>[]) => (name: string): string | undefined => {
  for (const m of maps) {
    const v = m.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
};
