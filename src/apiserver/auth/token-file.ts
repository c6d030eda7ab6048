// Static bearer tokens from a CSV file in upstream's --token-auth-file format:
//   token,user,uid,"group1,group2"
import { readFile } from 'node:fs/promises';
import { bearerToken } from './bearer.js';
import { withAuthenticatedGroup, type AuthRequest, type Authenticator, type UserInfo } from './types.js';

export class TokenFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`token file line ${line}: ${message}`);
    this.name = 'TokenFileError';
  }
}

/** Splits one CSV record, honouring double quotes and "" escapes. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields.map((f) => f.trim());
}

export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [token = '', username = '', uid = '', groups = ''] = parseCsvLine(line);
    if (token === '' || username === '') throw new TokenFileError('need at least token and user', i + 1);
    if (tokens.has(token)) throw new TokenFileError('duplicate token', i + 1);
    const user: UserInfo = { username, groups: groups.split(',').map((g) => g.trim()).filter((g) => g !== '') };
    if (uid !== '') user.uid = uid;
    tokens.set(token, withAuthenticatedGroup(user));
  });
  return tokens;
}

export class TokenFileAuthenticator implements Authenticator {
  constructor(private readonly tokens: Map<string, UserInfo>) {}

  static async fromFile(path: string): Promise<TokenFileAuthenticator> {
    return new TokenFileAuthenticator(parseTokenFile(await readFile(path, 'utf8')));
  }

  async authenticate(req: AuthRequest): Promise<UserInfo | null> {
    const token = bearerToken(req.headers);
    return token === null ? null : (this.tokens.get(token) ?? null);
  }
}
