// Answers one query from the cluster index, as the kubernetes DNS spec asks:
// authoritative for the cluster domain (NXDOMAIN/NODATA carry the SOA so
// clients cache the miss), PTR for service and endpoint IPs, and everything
// else handed back to the caller to forward upstream.
import type { Answer, DecodedPacket, Packet, Question, RecordType } from 'dns-packet';
import type { ClusterDnsIndex, DnsRecord } from './cluster-index.js';
import { canonicalName, inZone, ipFamily, ipFromDashed, isReverseName } from './names.js';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const FLAG_AA = 1 << 10;
const FLAG_RD = 1 << 8;
const FLAG_RA = 1 << 7;
const FLAG_CD = 1 << 4;
const OPCODE_BITS = 0xf << 11;
const ECHOED_FLAGS = OPCODE_BITS | FLAG_RD | FLAG_CD;
/** TTL of every record we serve, and the negative-caching TTL in the SOA. */
export const DNS_TTL = 5;
/** The schema version the kubernetes DNS spec asks `dns-version.<zone>` to hold. */
const SCHEMA_VERSION = '1.1.0';

/** ANY (255) is a query type only, so the packet types leave it out. */
const isAny = (q: Question) => (q.type as string) === 'ANY';

export type Resolution = { kind: 'answer'; packet: Packet } | { kind: 'forward' };

/** A bare response to `query` with the given rcode (also used for forwarding errors). */
export function errorResponse(query: Pick<DecodedPacket, 'id' | 'flags' | 'questions'>, rcode: number): Packet {
  // The opcode, RD and CD bits are echoed from the query.
  return { type: 'response', id: query.id, flags: ((query.flags ?? 0) & ECHOED_FLAGS) | FLAG_RA | rcode, questions: query.questions ?? [] };
}

export class ClusterResolver {
  private readonly zone: string;
  private readonly soa: Answer;

  constructor(private readonly index: ClusterDnsIndex) {
    this.zone = index.zone;
    this.soa = {
      type: 'SOA',
      name: this.zone,
      ttl: DNS_TTL,
      data: { mname: `ns.dns.${this.zone}`, rname: `hostmaster.${this.zone}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: DNS_TTL },
    };
  }

  resolve(query: DecodedPacket): Resolution {
    const opcode = (query as { opcode?: string }).opcode;
    if (opcode !== undefined && opcode !== 'QUERY') return this.reply(query, RCODE.NOTIMP, false);
    if (query.questions?.length !== 1) return this.reply(query, RCODE.FORMERR, false);
    const q = query.questions[0]!;
    const name = canonicalName(q.name);

    if (isReverseName(name)) {
      const ptrs = this.index.records(name).filter((r) => r.type === 'PTR');
      if (ptrs.length === 0) return { kind: 'forward' };
      if (q.type !== 'PTR' && !isAny(q)) return this.reply(query, RCODE.NOERROR, true);
      return this.reply(query, RCODE.NOERROR, true, this.toAnswers(q, ptrs));
    }
    if (!inZone(name, this.zone)) return { kind: 'forward' };
    return this.resolveInZone(query, q, name);
  }

  private resolveInZone(query: DecodedPacket, q: Question, name: string): Resolution {
    const zone = this.zone;
    if (name === zone) {
      if (q.type === 'SOA') return this.reply(query, RCODE.NOERROR, true, [{ ...this.soa, name: q.name }], undefined);
      if (q.type === 'NS') {
        const ns = `ns.dns.${zone}`;
        return this.reply(query, RCODE.NOERROR, true, [{ type: 'NS', name: q.name, ttl: DNS_TTL, data: ns }], undefined, this.nameserverAddresses(ns));
      }
      return this.nodata(query);
    }
    if (name === `ns.dns.${zone}`) return this.fixed(query, q, this.nameserverAddresses(name).map((a) => ({ ...a, name: q.name })));
    if (name === `dns.${zone}`) return this.nodata(query);
    if (name === `dns-version.${zone}`) return this.fixed(query, q, [{ type: 'TXT', name: q.name, ttl: DNS_TTL, data: SCHEMA_VERSION }]);

    const labels = name.slice(0, -(zone.length + 1)).split('.');
    if (labels[labels.length - 1] === 'pod') return this.resolvePod(query, q, labels);

    const records = this.index.records(name);
    if (records.length === 0) return this.index.exists(name) ? this.nodata(query) : this.nxdomain(query);
    const cname = records.find((r) => r.type === 'CNAME');
    if (cname && q.type !== 'CNAME') return this.reply(query, RCODE.NOERROR, true, this.toAnswers(q, [cname]));
    const matching = isAny(q) ? records : records.filter((r) => r.type === q.type);
    if (matching.length === 0) return this.nodata(query);
    const additionals = q.type === 'SRV' ? this.srvAdditionals(matching) : undefined;
    return this.reply(query, RCODE.NOERROR, true, this.toAnswers(q, matching), undefined, additionals);
  }

  /** `<a-b-c-d>.<ns>.pod.<zone>`: any well-formed address answers, as upstream's `pods insecure` mode. */
  private resolvePod(query: DecodedPacket, q: Question, labels: string[]): Resolution {
    if (labels.length === 1 || labels.length === 2) return this.nodata(query);
    if (labels.length !== 3) return this.nxdomain(query);
    const ip = ipFromDashed(labels[0]!);
    if (!ip) return this.nxdomain(query);
    const type: RecordType = ipFamily(ip) === 6 ? 'AAAA' : 'A';
    if (q.type !== type && !isAny(q)) return this.nodata(query);
    return this.reply(query, RCODE.NOERROR, true, [{ type, name: q.name, ttl: DNS_TTL, data: ip } as Answer]);
  }

  private fixed(query: DecodedPacket, q: Question, answers: Answer[]): Resolution {
    const matching = isAny(q) ? answers : answers.filter((a) => a.type === q.type);
    return matching.length ? this.reply(query, RCODE.NOERROR, true, matching) : this.nodata(query);
  }

  /** The name server's own address: the kube-dns Service's cluster IP, when there is one. */
  private nameserverAddresses(ns: string): Answer[] {
    return this.index.serviceIPs('kube-system', 'kube-dns').map((ip) => ({ type: ipFamily(ip) === 6 ? 'AAAA' : 'A', name: ns, ttl: DNS_TTL, data: ip }) as Answer);
  }

  private srvAdditionals(srvs: DnsRecord[]): Answer[] {
    const out: Answer[] = [];
    const done = new Set<string>();
    for (const r of srvs) {
      if (r.type !== 'SRV' || done.has(r.data.target)) continue;
      done.add(r.data.target);
      for (const a of this.index.records(r.data.target)) {
        if (a.type === 'A' || a.type === 'AAAA') out.push({ type: a.type, name: r.data.target, ttl: DNS_TTL, data: a.data });
      }
    }
    return out;
  }

  private toAnswers(q: Question, recs: DnsRecord[]): Answer[] {
    return recs.map((r) => ({ type: r.type, name: q.name, ttl: DNS_TTL, data: r.data }) as Answer);
  }

  private nodata(query: DecodedPacket): Resolution {
    return this.reply(query, RCODE.NOERROR, true, [], [this.soa]);
  }

  private nxdomain(query: DecodedPacket): Resolution {
    return this.reply(query, RCODE.NXDOMAIN, true, [], [this.soa]);
  }

  private reply(query: DecodedPacket, rcode: number, authoritative: boolean, answers: Answer[] = [], authorities?: Answer[], additionals: Answer[] = []): Resolution {
    const packet = errorResponse(query, rcode);
    if (authoritative) packet.flags! |= FLAG_AA;
    packet.answers = answers;
    packet.authorities = authorities ?? [];
    packet.additionals = additionals;
    return { kind: 'answer', packet };
  }
}
