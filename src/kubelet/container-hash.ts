// A container spec's hash, stored on the CRI container: when the pod's spec
// for the container changes (an image update), the hash differs and the
// kubelet replaces the container.
import { createHash } from 'node:crypto';
import type { Container } from '../api/core-v1.js';

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

/**
 * Hash of the fields whose change needs a new container. Resources are left
 * out (upstream resizes in place) and so are probes: changing a probe does not
 * restart a container.
 */
export function containerHash(c: Container): string {
  const { resources: _r, livenessProbe: _l, readinessProbe: _rp, startupProbe: _s, ...rest } = c;
  return createHash('sha256').update(JSON.stringify(canonical(rest))).digest('hex').slice(0, 8);
}
