// A stable hash of a container spec: the kubelet restarts a container whose
// spec hash changed. FNV-1a 64 over JSON with sorted keys.

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function specHash(v: unknown): string {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(canonical(v), 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16);
}
