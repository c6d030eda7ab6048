// metav1.Time on the wire: RFC 3339 in UTC to the second, as upstream formats it.
// Every write stamps a time or two, so the last second's text is kept.
let lastSecond = NaN;
let lastText = '';
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** metav1.MicroTime (Leases, events.k8s.io): microseconds, from a millisecond clock. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
}
