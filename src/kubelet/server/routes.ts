// The kubelet API's paths, parsed, and the authorization attributes upstream's
// kubelet derives from them (nodes/proxy, nodes/log, nodes/stats).
import type { KubeletRequestAttributes } from './types.js';

export type Route =
  | { kind: 'healthz' }
  | { kind: 'pods' }
  | { kind: 'stats' }
  | { kind: 'containerLogs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string };

const seg = (s: string) => decodeURIComponent(s);

/** Parses a request path (no query); null when it is not one of the served endpoints. */
export function parseRoute(pathname: string): Route | null {
  const p = pathname.replace(/\/+$/, '') || '/';
  if (p === '/healthz') return { kind: 'healthz' };
  if (p === '/pods') return { kind: 'pods' };
  if (p === '/stats/summary') return { kind: 'stats' };
  const parts = p.split('/').filter(Boolean);
  try {
    const [head, ...rest] = parts;
    if (head === 'containerLogs' && rest.length === 3) return { kind: 'containerLogs', namespace: seg(rest[0]!), pod: seg(rest[1]!), container: seg(rest[2]!) };
    if (head === 'exec' || head === 'attach') {
      // /exec/ns/pod/container or /exec/ns/pod/uid/container
      if (rest.length === 3 || rest.length === 4) return { kind: head, namespace: seg(rest[0]!), pod: seg(rest[1]!), container: seg(rest[rest.length - 1]!) };
    }
    if (head === 'portForward' && (rest.length === 2 || rest.length === 3)) return { kind: 'portForward', namespace: seg(rest[0]!), pod: seg(rest[1]!) };
  } catch {
    return null; // malformed percent-encoding
  }
  return null;
}

export function authorizationAttributes(method: string, route: Route | null, path: string): KubeletRequestAttributes {
  const verb = method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'DELETE' ? 'delete' : 'get';
  const subresource = route?.kind === 'stats' ? 'stats' : 'proxy';
  return { verb, resource: 'nodes', subresource, path };
}

export interface ExecParams {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const truthy = (v: string | null) => v === '1' || v === 'true' || v === 'True';

/** Exec/attach flags; the API server may send "1" or "true". A TTY merges stderr into stdout. */
export function execParams(q: URLSearchParams): ExecParams {
  const tty = truthy(q.get('tty'));
  return {
    command: q.getAll('command'),
    stdin: truthy(q.get('stdin') ?? q.get('input')),
    stdout: truthy(q.get('stdout') ?? q.get('output')),
    stderr: !tty && truthy(q.get('stderr') ?? q.get('error')),
    tty,
  };
}
