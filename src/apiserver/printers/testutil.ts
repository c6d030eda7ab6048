// Shared fixtures for the printer tests: a fixed clock and timestamps relative to it.

export const NOW = new Date('2024-06-01T12:00:00Z');

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
export const units = { s: S, m: M, h: H, d: D };

/** RFC 3339 timestamp `ms` before NOW, at second precision like the API writes. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function meta(name: string, age: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: ago(age), ...extra };
}
