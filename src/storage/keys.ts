// Key-range helpers shared by every backend.

/** A recursive prefix always ends in "/", so `/pods/a` never matches `/pods/ab/x`. */
export function normalizePrefix(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The smallest key greater than every key that starts with `prefix` (etcd's range_end). */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10ffff}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export function keyMatches(key: string, watched: string, recursive: boolean): boolean {
  return recursive ? key.startsWith(watched) : key === watched;
}
