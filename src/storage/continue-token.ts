import { invalid } from './errors.js';

// A continue token pins every page of a list to the first page's revision and
// records where the next page starts, as upstream's token does.
interface Token {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

export function encodeContinue(revision: number, lastKey: string): string {
  const token: Token = { v: 'meta.k8s.io/v1', rv: revision, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(token: string): { revision: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as Partial<Token>;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string' || t.rv <= 0) {
      throw new Error('bad shape');
    }
    return { revision: t.rv, start: t.start };
  } catch {
    throw invalid('continue key is not valid');
  }
}

/** Parses a list resourceVersion: undefined = latest, 0 = any, N = exact. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw invalid(`invalid resourceVersion ${JSON.stringify(rv)}`);
  return Number(rv);
}
