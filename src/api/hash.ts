// Hashing shared by the controllers and the kubelet: FNV-1a over canonical
// JSON (keys sorted at every level, so equal objects hash equal) and
// upstream's SafeEncodeString for names and labels.
import { NAME_ALPHABET } from './meta.js';

/** FNV-1a, 32 bits; `seed` continues an earlier hash. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** FNV-1a, 64 bits, as lower-case hex. */
export function fnv64aHex(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16);
}

/**
 * JSON with object keys sorted at every level. Undefined fields are left out,
 * and with `dropNulls` null ones too (templates kubectl sends carry
 * `creationTimestamp: null`, which upstream's typed structs cannot tell from absent).
 */
export function canonicalJSON(v: unknown, opts: { dropNulls?: boolean } = {}): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJSON(x, opts)).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined && !(opts.dropNulls && o[k] === null)).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k], opts)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Upstream's rand.SafeEncodeString: each byte mapped into the vowel-free name alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return out;
}
