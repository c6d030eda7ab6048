// API timestamp formats: metav1.Time (seconds) and metav1.MicroTime (Leases).
export { rfc3339, rfc3339Micro } from '../api/time.js';
