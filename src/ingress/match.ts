// Rule matching as upstream defines it: exact hosts, `*.suffix` wildcards that
// stand for exactly one DNS label, and paths matched Exact or Prefix (split on
// '/', compared element by element). Pure functions, so they are unit-tested
// without servers.
import type { PathType } from './types.js';

/** Lower-cases a Host header and drops its port (`[::1]:80` keeps the brackets off too). */
export function normalizeHost(header: string | undefined): string {
  if (!header) return '';
  let h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.indexOf(':');
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** `*.foo.com` matches `bar.foo.com`, not `foo.com` nor `a.bar.foo.com`. */
export function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1); // ".foo.com"
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export type HostKind = 'exact' | 'wildcard' | 'any';

export function hostKind(ruleHost: string | undefined): HostKind {
  if (!ruleHost) return 'any';
  return ruleHost.startsWith('*.') ? 'wildcard' : 'exact';
}

export function hostMatches(ruleHost: string | undefined, host: string): boolean {
  const kind = hostKind(ruleHost);
  if (kind === 'any') return true;
  const rh = ruleHost!.toLowerCase();
  return kind === 'exact' ? rh === host : wildcardMatches(rh, host);
}

function elements(p: string): string[] {
  return p.split('/').filter((e) => e.length > 0);
}

/**
 * How well a rule path matches a request path: undefined for no match, else a
 * score where larger is more specific (longest match wins; Exact beats a
 * Prefix of the same length).
 */
export function pathScore(rulePath: string | undefined, pathType: PathType | undefined, requestPath: string): number | undefined {
  const rp = rulePath && rulePath.length > 0 ? rulePath : '/';
  if (pathType === 'Exact') return rp === requestPath ? rp.length * 2 + 1 : undefined;
  // Prefix and ImplementationSpecific: every element of the rule path equals the request's at the same place.
  const want = elements(rp);
  const got = elements(requestPath);
  if (want.length > got.length) return undefined;
  for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) return undefined;
  const len = want.length === 0 ? 1 : want.reduce((n, e) => n + e.length + 1, 0);
  return len * 2;
}

/** The path of a request target, without its query string. */
export function requestPath(url: string | undefined): string {
  if (!url) return '/';
  const q = url.search(/[?#]/);
  const p = q >= 0 ? url.slice(0, q) : url;
  return p.startsWith('/') ? p : '/';
}
