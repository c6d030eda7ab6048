// A stable hash of a container spec: the kubelet restarts a container whose
// spec hash changed. FNV-1a 64 over JSON with sorted keys.
import { canonicalJSON, fnv64aHex } from '../../api/hash.js';

export function specHash(v: unknown): string {
  return fnv64aHex(Buffer.from(canonicalJSON(v), 'utf8'));
}
