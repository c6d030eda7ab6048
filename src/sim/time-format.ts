// API timestamp formats: metav1.Time (seconds) and metav1.MicroTime (Leases).
import { rfc3339 } from '../api/time.js';

export { rfc3339 };

export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
}
