// Deterministic chain names: a prefix plus 16 characters of the base32
// (RFC 4648 alphabet) of a SHA-256, so names stay under iptables' 28-char
// limit and do not change between runs or nodes.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(buf: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

// Syncs recompute every name; hashing 10k+ endpoints each time would dominate them.
const memo = new Map<string, string>();

function hash16(s: string): string {
  let h = memo.get(s);
  if (h === undefined) {
    if (memo.size > 200_000) memo.clear();
    h = base32(createHash('sha256').update(s).digest()).slice(0, 16);
    memo.set(s, h);
  }
  return h;
}

/** Per service port: KUBE-SVC (all endpoints), KUBE-SVL (node-local), KUBE-EXT (external entry). */
export function serviceChain(prefix: 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-', key: string, protocol: string): string {
  return prefix + hash16(key + protocol);
}

export function endpointChain(key: string, protocol: string, ip: string, port: number): string {
  return 'KUBE-SEP-' + hash16(`${key}${protocol}${ip}:${port}`);
}
