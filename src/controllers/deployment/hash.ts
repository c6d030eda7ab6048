// The pod-template-hash: a 32-bit FNV-1a of the template (here over its
// canonical JSON, since upstream hashes Go's in-memory printing), plus the
// collision count, rendered in upstream's SafeEncodeString alphabet.
import { canonicalJSON, fnv32a, safeEncodeString } from '../../api/hash.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJSON(template, { dropNulls: true }), 'utf8'));
  if (collisionCount !== undefined) {
    // As upstream: the count as 4 little-endian bytes in an 8-byte buffer.
    const extra = Buffer.alloc(8);
    extra.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
