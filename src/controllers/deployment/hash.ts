// The pod-template-hash: a 32-bit FNV-1a of the template (here over its
// canonical JSON, since upstream hashes Go's in-memory printing), plus the
// collision count, rendered in upstream's SafeEncodeString alphabet.
import { NAME_ALPHABET } from '../../api/meta.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with object keys sorted at every level, so equal templates hash equal.
 * Null fields count as absent (`creationTimestamp: null` is common in
 * templates kubectl sends; upstream's typed structs cannot tell them apart).
 */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJSON(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Upstream's rand.SafeEncodeString: each byte mapped into the vowel-free alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return out;
}

export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJSON(template), 'utf8'));
  if (collisionCount !== undefined) {
    // As upstream: the count as 4 little-endian bytes in an 8-byte buffer.
    const extra = Buffer.alloc(8);
    extra.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
