// The in-memory routing table: built from the informers' caches whenever one
// of them changes, and read on every request (never the API).
import type { EndpointSlice, Service } from '../client/types.js';
import { hostKind, pathScore, type HostKind } from './match.js';
import {
  DEFAULT_CLASS_ANNOTATION,
  INGRESS_CLASS_NAME,
  INGRESS_CONTROLLER,
  LEGACY_CLASS_ANNOTATION,
  type Ingress,
  type IngressBackend,
  type IngressClass,
  type PathType,
} from './types.js';

export interface Target {
  host: string;
  port: number;
}

/** Where a matched request goes: a service port and its ready endpoints (maybe none). */
export interface Upstream {
  /** `ns/service:port`; round-robin counters are kept per key. */
  key: string;
  targets: Target[];
}

interface Route {
  host: string | undefined;
  kind: HostKind;
  path: string | undefined;
  pathType: PathType | undefined;
  upstream: Upstream;
}

export interface TableInput {
  ingresses: Ingress[];
  classes: IngressClass[];
  services: Service[];
  slices: EndpointSlice[];
  /** Our class name; `kubets` by default. */
  className?: string;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Is this Ingress ours: our class by name, a class whose controller is ours, or no class while ours is the default. */
export function isOurIngress(ing: Ingress, classes: IngressClass[], className = INGRESS_CLASS_NAME): boolean {
  const named = ing.spec?.ingressClassName ?? ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (named) {
    if (named === className) return true;
    return classes.some((c) => c.metadata.name === named && c.spec?.controller === INGRESS_CONTROLLER);
  }
  return classes.some((c) => c.spec?.controller === INGRESS_CONTROLLER && c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
}

/** Oldest first, then by namespace/name, so overlapping rules resolve the same way on every node. */
function byAge(a: Ingress, b: Ingress): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export class RoutingTable {
  // Indexed by host so a request scans only the rules that can match it.
  private readonly exactHosts = new Map<string, Route[]>();
  /** `*.foo.com` rules under `foo.com`. */
  private readonly wildcardHosts = new Map<string, Route[]>();
  private readonly anyHost: Route[] = [];
  private defaultUpstream: Upstream | undefined;
  readonly ingresses: Ingress[];
  private readonly services = new Map<string, Service>();
  private readonly slicesByService = new Map<string, EndpointSlice[]>();

  constructor(input: TableInput) {
    const className = input.className ?? INGRESS_CLASS_NAME;
    for (const s of input.services) this.services.set(`${s.metadata.namespace}/${s.metadata.name}`, s);
    for (const sl of input.slices) {
      const svc = sl.metadata.labels?.[SERVICE_NAME_LABEL];
      if (!svc) continue;
      const k = `${sl.metadata.namespace}/${svc}`;
      const list = this.slicesByService.get(k) ?? [];
      list.push(sl);
      this.slicesByService.set(k, list);
    }
    this.ingresses = input.ingresses.filter((i) => !i.metadata.deletionTimestamp && isOurIngress(i, input.classes, className)).sort(byAge);
    for (const ing of this.ingresses) {
      const ns = ing.metadata.namespace ?? 'default';
      for (const rule of ing.spec?.rules ?? []) {
        const host = rule.host?.toLowerCase();
        for (const p of rule.http?.paths ?? []) {
          const upstream = this.resolve(ns, p.backend);
          if (upstream) this.add({ host, kind: hostKind(host), path: p.path, pathType: p.pathType, upstream });
        }
      }
      if (!this.defaultUpstream && ing.spec?.defaultBackend) this.defaultUpstream = this.resolve(ns, ing.spec.defaultBackend);
    }
  }

  /**
   * The upstream for a request: rules of an exact host first, then wildcard
   * hosts, then rules without a host; within those the longest path wins;
   * then the default backend. Undefined means 404.
   */
  lookup(host: string, path: string): Upstream | undefined {
    const dot = host.indexOf('.');
    const groups = [this.exactHosts.get(host), dot > 0 ? this.wildcardHosts.get(host.slice(dot + 1)) : undefined, this.anyHost];
    for (const routes of groups) {
      let best: Route | undefined;
      let bestScore = -1;
      for (const r of routes ?? []) {
        const s = pathScore(r.path, r.pathType, path);
        if (s !== undefined && s > bestScore) {
          best = r;
          bestScore = s;
        }
      }
      if (best) return best.upstream;
    }
    return this.defaultUpstream;
  }

  private add(r: Route): void {
    if (r.kind === 'any') {
      this.anyHost.push(r);
      return;
    }
    const [m, k] = r.kind === 'exact' ? [this.exactHosts, r.host!] : [this.wildcardHosts, r.host!.slice(2)];
    const list = m.get(k) ?? [];
    list.push(r);
    m.set(k, list);
  }

  /** A service backend → its ready endpoints on the port the backend names (by number or name). */
  private resolve(ns: string, backend: IngressBackend): Upstream | undefined {
    const svcRef = backend.service;
    if (!svcRef) return undefined; // resource backends are not served
    const want = svcRef.port ?? {};
    const key = `${ns}/${svcRef.name}:${want.number ?? want.name ?? ''}`;
    const svc = this.services.get(`${ns}/${svcRef.name}`);
    const svcPort = svc?.spec?.ports?.find((p) => (want.number !== undefined ? p.port === want.number : want.name !== undefined ? p.name === want.name : true));
    if (!svc || !svcPort) return { key, targets: [] };
    const portName = svcPort.name ?? '';
    const targets: Target[] = [];
    const seen = new Set<string>();
    for (const sl of this.slicesByService.get(`${ns}/${svcRef.name}`) ?? []) {
      const port = sl.ports?.find((p) => (p.name ?? '') === portName)?.port;
      if (port === undefined) continue;
      for (const ep of sl.endpoints ?? []) {
        if (ep.conditions?.ready === false) continue;
        for (const addr of ep.addresses.slice(0, 1)) {
          const id = `${addr}:${port}`;
          if (seen.has(id)) continue;
          seen.add(id);
          targets.push({ host: addr, port });
        }
      }
    }
    targets.sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1));
    return { key, targets };
  }
}
