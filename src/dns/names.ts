// Domain-name helpers: canonical form, reverse-lookup names, and the dashed
// IP labels used by pod and headless-endpoint names.
import { isIP, isIPv4, isIPv6 } from 'node:net';

/** Lower case, no trailing dot: the form every index key uses. */
export function canonicalName(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

/** True when `name` is `zone` or below it (both canonical). */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The 8 groups of an IPv6 address as 4-digit hex strings, or undefined. */
function ipv6Groups(ip: string): string[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let addr = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4) {
    const p = v4[1]!.split('.').map(Number);
    addr = addr.slice(0, -v4[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t];
  return groups.length === 8 ? groups.map((g) => g.padStart(4, '0')) : undefined;
}

/** `4.3.2.1.in-addr.arpa` / nibble `ip6.arpa` name for an address; undefined if not an IP. */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = ipv6Groups(ip);
  if (!groups) return undefined;
  return `${groups.join('').split('').reverse().join('.')}.ip6.arpa`;
}

export function isReverseName(name: string): boolean {
  return name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa') || name === 'in-addr.arpa' || name === 'ip6.arpa';
}

/** `10.1.2.3` → `10-1-2-3`; IPv6 colons become dashes (`fd00::1` → `fd00--1`). */
export function dashedIp(ip: string): string {
  return isIPv4(ip) ? ip.replace(/\./g, '-') : ip.toLowerCase().replace(/:/g, '-');
}

/** The inverse of `dashedIp`: the address a dashed label names, or undefined. */
export function ipFromDashed(label: string): string | undefined {
  const v4 = label.replace(/-/g, '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replace(/-/g, ':');
  return isIPv6(v6) ? v6 : undefined;
}

export const ipFamily = (ip: string): 4 | 6 | 0 => isIP(ip) as 4 | 6 | 0;
