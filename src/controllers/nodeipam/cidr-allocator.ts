// Hands out per-node subnets of the cluster CIDR (IPv4), each at most once,
// scanning onward from the last allocation as upstream's range allocator does.

export class CidrError extends Error {
  override name = 'CidrError';
}

export interface Ipv4Cidr {
  base: number;
  prefix: number;
}

export function parseIpv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new CidrError(`invalid IPv4 address ${JSON.stringify(ip)}`);
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses `a.b.c.d/n`; the host bits are cleared. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  if (!m || Number(m[2]) > 32) throw new CidrError(`invalid CIDR ${JSON.stringify(cidr)}`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(parseIpv4(m[1]!) / size) * size, prefix };
}

export const formatCidr = (c: Ipv4Cidr) => `${formatIpv4(c.base)}/${c.prefix}`;

export class CidrAllocator {
  private readonly cluster: Ipv4Cidr;
  private readonly subnetSize: number;
  private readonly count: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(clusterCidr: string, readonly maskSize: number) {
    this.cluster = parseCidr(clusterCidr);
    if (!Number.isInteger(maskSize) || maskSize < this.cluster.prefix || maskSize > 32) {
      throw new CidrError(`node CIDR mask size ${maskSize} does not fit cluster CIDR ${clusterCidr}`);
    }
    this.subnetSize = 2 ** (32 - maskSize);
    this.count = 2 ** (maskSize - this.cluster.prefix);
  }

  get size(): number {
    return this.count;
  }

  get allocated(): number {
    return this.used.size;
  }

  /** The subnet index of `cidr`, or undefined when it is not one of ours. */
  private indexOf(cidr: string): number | undefined {
    let c: Ipv4Cidr;
    try {
      c = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (c.prefix !== this.maskSize) return undefined;
    const offset = c.base - this.cluster.base;
    if (offset < 0 || offset >= this.count * this.subnetSize) return undefined;
    return offset / this.subnetSize;
  }

  /** Marks an existing assignment as taken; false when it is outside the cluster CIDR or already taken. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined || this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }

  isAllocated(cidr: string): boolean {
    const i = this.indexOf(cidr);
    return i !== undefined && this.used.has(i);
  }

  /** The next free subnet, or undefined when the cluster CIDR is exhausted. */
  allocate(): string | undefined {
    for (let n = 0; n < this.count; n++) {
      const i = (this.next + n) % this.count;
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.next = (i + 1) % this.count;
      return formatCidr({ base: this.cluster.base + i * this.subnetSize, prefix: this.maskSize });
    }
    return undefined;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used.delete(i);
  }
}
