// Service-link environment variables (docker-links style), as upstream makes
// them for every service with a cluster IP.
import type { ServiceObject } from '../object-source.js';

const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

function hasClusterIP(s: ServiceObject): boolean {
  const ip = s.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** The variables for services in the given order; later services do not override earlier names. */
export function serviceEnvVars(services: readonly ServiceObject[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const name = envName(svc.metadata.name ?? '');
    const ip = svc.spec!.clusterIP!;
    const ports = svc.spec?.ports ?? [];
    out.push([`${name}_SERVICE_HOST`, ip]);
    if (ports.length === 0) continue;
    out.push([`${name}_SERVICE_PORT`, String(ports[0]!.port)]);
    for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    const first = ports[0]!;
    const proto0 = (first.protocol ?? 'TCP').toLowerCase();
    out.push([`${name}_PORT`, `${proto0}://${ip}:${first.port}`]);
    for (const p of ports) {
      const proto = (p.protocol ?? 'TCP');
      const prefix = `${name}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push([prefix, `${proto.toLowerCase()}://${ip}:${p.port}`]);
      out.push([`${prefix}_PROTO`, proto.toLowerCase()]);
      out.push([`${prefix}_PORT`, String(p.port)]);
      out.push([`${prefix}_ADDR`, ip]);
    }
  }
  return out;
}

/**
 * Which services a pod sees: its namespace's (when service links are on) and
 * always the master `kubernetes` service from `default`. Sorted by name so the
 * order is stable.
 */
export function servicesForPod(podNamespace: string, enableServiceLinks: boolean, nsServices: readonly ServiceObject[], defaultServices: readonly ServiceObject[]): ServiceObject[] {
  const byName = new Map<string, ServiceObject>();
  if (enableServiceLinks) for (const s of nsServices) byName.set(s.metadata.name ?? '', s);
  const master = defaultServices.find((s) => s.metadata.name === 'kubernetes');
  // A same-named service of the pod's own namespace wins, as upstream.
  if (master && !byName.has('kubernetes')) byName.set('kubernetes', master);
  return [...byName.keys()].sort().map((k) => byName.get(k)!);
}
