// Fake addresses for simulated nodes and their pods. Nothing ever connects to
// them; they only have to look right and not collide within a node.
import { SimConfigError } from './errors.js';

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

export function ipv4ToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new SimConfigError(`not an IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new SimConfigError(`not an IPv4 address: ${ip}`);
    n = n * 256 + v;
  }
  return n;
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function parseIpv4Cidr(cidr: string): Ipv4Cidr {
  const [ip, bits, extra] = cidr.split('/');
  const prefix = Number(bits);
  if (extra !== undefined || !ip || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32) throw new SimConfigError(`not an IPv4 CIDR: ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { base: ipv4ToInt(ip) - (ipv4ToInt(ip) % size), prefix };
}

/**
 * The /24 a node uses when it has no spec.podCIDR: the index-th /24 of the
 * cluster CIDR 10.42.0.0/16. Past 256 nodes the blocks repeat; the
 * addresses are never used on a wire, so only per-node uniqueness matters.
 */
export function defaultNodePodCidr(index: number): string {
  return `10.42.${index % 256}.0/24`;
}

/** The node's InternalIP: 10.244.0.0/16, from the node index (skipping .0). */
export function nodeInternalIp(index: number): string {
  const n = (index % 65_535) + 1;
  return `10.244.${Math.floor(n / 256)}.${n % 256}`;
}

/**
 * Hands out pod IPs from one CIDR, lowest free first, skipping the network
 * address, the first host (the node's bridge on a real node) and broadcast.
 */
export class PodIpAllocator {
  private readonly cidr: Ipv4Cidr;
  private readonly used = new Map<number, string>();
  private readonly byOwner = new Map<string, number>();
  private next: number;

  constructor(readonly cidrText: string) {
    this.cidr = parseIpv4Cidr(cidrText);
    this.next = this.first;
  }

  private get first(): number {
    return this.cidr.prefix >= 31 ? this.cidr.base : this.cidr.base + 2;
  }

  private get last(): number {
    const size = 2 ** (32 - this.cidr.prefix);
    return this.cidr.prefix >= 31 ? this.cidr.base + size - 1 : this.cidr.base + size - 2;
  }

  contains(ip: string): boolean {
    const n = ipv4ToInt(ip);
    return n >= this.cidr.base && n < this.cidr.base + 2 ** (32 - this.cidr.prefix);
  }

  /** The owner's IP (allocating one if it has none); undefined when the range is full. */
  allocate(owner: string): string | undefined {
    const have = this.byOwner.get(owner);
    if (have !== undefined) return intToIpv4(have);
    const span = this.last - this.first + 1;
    for (let i = 0; i < span; i++) {
      const n = this.first + ((this.next - this.first + i) % span);
      if (this.used.has(n)) continue;
      this.used.set(n, owner);
      this.byOwner.set(owner, n);
      this.next = n + 1 > this.last ? this.first : n + 1;
      return intToIpv4(n);
    }
    return undefined;
  }

  /** Records an IP already in use (a pod found running after a restart); false if taken by another owner or out of range. */
  reserve(owner: string, ip: string): boolean {
    let n: number;
    try {
      n = ipv4ToInt(ip);
    } catch {
      return false;
    }
    if (!this.contains(ip)) return false;
    const holder = this.used.get(n);
    if (holder !== undefined) return holder === owner;
    this.used.set(n, owner);
    this.byOwner.set(owner, n);
    return true;
  }

  release(owner: string): void {
    const n = this.byOwner.get(owner);
    if (n === undefined) return;
    this.byOwner.delete(owner);
    this.used.delete(n);
  }

  get size(): number {
    return this.used.size;
  }
}
