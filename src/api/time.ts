// metav1.Time on the wire: RFC 3339 in UTC to the second, as upstream formats it.
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime (Leases, events.k8s.io): microseconds, from a millisecond clock. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
}
