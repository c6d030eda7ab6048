// The in-memory record table the DNS server answers from, kept current by
// the Service and EndpointSlice informers. Each Service owns the records
// derived from it and its slices; a change rebuilds just that Service's share,
// so a lookup is one map read and never a call to the API server.
import type { EndpointSlice, Service } from '../client/types.js';
import { objectKey } from '../client/store.js';
import { canonicalName, dashedIp, ipFamily, reverseName } from './names.js';

export type DnsRecord =
  | { type: 'A' | 'AAAA' | 'CNAME' | 'PTR'; data: string }
  | { type: 'SRV'; data: { priority: number; weight: number; port: number; target: string } };

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface ServiceShare {
  /** name → records this Service contributes there. */
  records: Map<string, DnsRecord[]>;
  /** Every name the Service makes exist (records' owners and their ancestors up to the zone). */
  names: string[];
}

export class ClusterDnsIndex {
  readonly zone: string;
  /** name → owning service key → records. */
  private readonly table = new Map<string, Map<string, DnsRecord[]>>();
  /** name → how many shares make it exist (empty non-terminals included). */
  private readonly existing = new Map<string, number>();
  private readonly services = new Map<string, Service>();
  /** service key → slice key → slice. */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  /** slice key → the service key it was filed under. */
  private readonly sliceOwner = new Map<string, string>();
  private readonly shares = new Map<string, ServiceShare>();
  private gen = 0;

  constructor(clusterDomain = 'cluster.local') {
    this.zone = canonicalName(clusterDomain);
  }

  upsertService(svc: Service): void {
    const key = objectKey(svc);
    this.services.set(key, svc);
    this.rebuild(key);
  }

  deleteService(svc: Service): void {
    const key = objectKey(svc);
    this.services.delete(key);
    this.rebuild(key);
  }

  upsertSlice(slice: EndpointSlice): void {
    const sliceKey = objectKey(slice);
    const svcKey = sliceServiceKey(slice);
    const prev = this.sliceOwner.get(sliceKey);
    if (prev !== undefined && prev !== svcKey) this.removeSlice(sliceKey);
    if (svcKey === undefined) return;
    let m = this.slices.get(svcKey);
    if (!m) this.slices.set(svcKey, (m = new Map()));
    m.set(sliceKey, slice);
    this.sliceOwner.set(sliceKey, svcKey);
    this.rebuild(svcKey);
  }

  deleteSlice(slice: EndpointSlice): void {
    this.removeSlice(objectKey(slice));
  }

  /** Whether `name` (canonical) exists in the zone: has records or names below it. */
  exists(name: string): boolean {
    return this.existing.has(name);
  }

  /** All records at `name` (canonical). */
  records(name: string): DnsRecord[] {
    const owners = this.table.get(name);
    if (!owners) return [];
    if (owners.size === 1) return owners.values().next().value!;
    return [...owners.values()].flat();
  }

  /** The cluster IPs of one Service (empty when headless, missing or unallocated). */
  serviceIPs(namespace: string, name: string): string[] {
    const svc = this.services.get(`${namespace}/${name}`);
    return svc ? clusterIPsOf(svc) : [];
  }

  /** Changes whenever any record may have changed (answer caches key on it). */
  get generation(): number {
    return this.gen;
  }

  get serviceCount(): number {
    return this.services.size;
  }

  private removeSlice(sliceKey: string): void {
    const svcKey = this.sliceOwner.get(sliceKey);
    if (svcKey === undefined) return;
    this.sliceOwner.delete(sliceKey);
    const m = this.slices.get(svcKey);
    m?.delete(sliceKey);
    if (m && m.size === 0) this.slices.delete(svcKey);
    this.rebuild(svcKey);
  }

  private rebuild(svcKey: string): void {
    this.gen++;
    const old = this.shares.get(svcKey);
    if (old) {
      for (const name of old.records.keys()) {
        const owners = this.table.get(name)!;
        owners.delete(svcKey);
        if (owners.size === 0) this.table.delete(name);
      }
      for (const name of old.names) {
        const n = this.existing.get(name)! - 1;
        if (n === 0) this.existing.delete(name);
        else this.existing.set(name, n);
      }
      this.shares.delete(svcKey);
    }
    const svc = this.services.get(svcKey);
    if (!svc) return;
    const share = buildShare(svc, [...(this.slices.get(svcKey)?.values() ?? [])], this.zone);
    for (const [name, recs] of share.records) {
      let owners = this.table.get(name);
      if (!owners) this.table.set(name, (owners = new Map()));
      owners.set(svcKey, recs);
    }
    for (const name of share.names) this.existing.set(name, (this.existing.get(name) ?? 0) + 1);
    this.shares.set(svcKey, share);
  }
}

function sliceServiceKey(slice: EndpointSlice): string | undefined {
  const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc && slice.metadata.namespace ? `${slice.metadata.namespace}/${svc}` : undefined;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None' || svc.spec?.clusterIPs?.[0] === 'None';
}

function clusterIPsOf(svc: Service): string[] {
  if (isHeadless(svc) || svc.spec?.type === 'ExternalName') return [];
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  return ips.filter((ip) => ipFamily(ip) !== 0);
}

const addressRecord = (ip: string): DnsRecord => ({ type: ipFamily(ip) === 6 ? 'AAAA' : 'A', data: ip });

/** `_<port>._<proto>.<base>`, or undefined for unnamed ports (they get no SRV). */
const srvName = (port: { name?: string; protocol?: string }, base: string): string | undefined =>
  port.name ? `_${port.name.toLowerCase()}._${(port.protocol ?? 'TCP').toLowerCase()}.${base}` : undefined;

function buildShare(svc: Service, slices: EndpointSlice[], zone: string): ServiceShare {
  const records = new Map<string, DnsRecord[]>();
  const add = (name: string, r: DnsRecord) => {
    const list = records.get(name);
    if (list) list.push(r);
    else records.set(name, [r]);
  };
  const ns = svc.metadata.namespace!.toLowerCase();
  const base = `${(svc.metadata.name ?? '').toLowerCase()}.${ns}.svc.${zone}`;
  const spec = svc.spec ?? {};

  if (spec.type === 'ExternalName') {
    const target = spec.externalName ? canonicalName(spec.externalName) : '';
    if (target) {
      add(base, { type: 'CNAME', data: target });
      for (const p of spec.ports ?? []) {
        const n = srvName(p, base);
        if (n) add(n, { type: 'SRV', data: { priority: 0, weight: 100, port: p.port, target } });
      }
    }
  } else if (!isHeadless(svc)) {
    for (const ip of clusterIPsOf(svc)) {
      add(base, addressRecord(ip));
      add(reverseName(ip)!, { type: 'PTR', data: base });
    }
    if (clusterIPsOf(svc).length) {
      for (const p of spec.ports ?? []) {
        const n = srvName(p, base);
        if (n) add(n, { type: 'SRV', data: { priority: 0, weight: 100, port: p.port, target: base } });
      }
    }
  } else {
    // Headless: the ready endpoints themselves, each under its hostname (or dashed IP).
    const seen = new Set<string>();
    const endpoints: { ip: string; host: string }[] = [];
    const ports = new Map<string, { name?: string; protocol?: string; port: number }>();
    for (const slice of slices) {
      for (const ep of slice.endpoints ?? []) {
        if (ep.conditions?.ready === false && !spec.publishNotReadyAddresses) continue;
        for (const ip of ep.addresses ?? []) {
          if (ipFamily(ip) === 0 || seen.has(ip)) continue;
          seen.add(ip);
          endpoints.push({ ip, host: (ep.hostname ?? dashedIp(ip)).toLowerCase() });
        }
      }
      for (const p of slice.ports ?? []) if (p.name && p.port) ports.set(`${p.name}/${p.protocol ?? 'TCP'}`, { name: p.name, protocol: p.protocol, port: p.port });
    }
    const weight = endpoints.length ? Math.max(1, Math.floor(100 / endpoints.length)) : 100;
    for (const { ip, host } of endpoints) {
      const epName = `${host}.${base}`;
      add(base, addressRecord(ip));
      add(epName, addressRecord(ip));
      add(reverseName(ip)!, { type: 'PTR', data: epName });
      for (const p of ports.values()) add(srvName(p, base)!, { type: 'SRV', data: { priority: 0, weight, port: p.port, target: epName } });
    }
  }

  // Existence: every owner name and its ancestors inside the zone, plus the
  // service name itself (a Service with no addresses answers NODATA, not NXDOMAIN).
  const names = new Set<string>();
  const mark = (name: string) => {
    for (let n = name; n.length > zone.length && !names.has(n); n = n.slice(n.indexOf('.') + 1)) names.add(n);
  };
  mark(base);
  for (const name of records.keys()) if (name.endsWith(`.${zone}`)) mark(name);
  for (const name of records.keys()) if (!name.endsWith(`.${zone}`)) names.add(name);
  return { records, names: [...names] };
}
