// ClusterIP and NodePort allocation for Services: no address or port is
// handed out twice, and both are released when the Service goes away.
import type { KubeObject } from '../../api/meta.js';
import type { AdmissionHook, ApiCore } from '../rest/context.js';
import { invalid } from '../status.js';

export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const parts = ip!.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255)) || !(Number(bits) >= 8 && Number(bits) <= 30)) {
    throw new Error(`invalid CIDR ${cidr}`);
  }
  const base = (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
  return { base, size: 2 ** (32 - Number(bits)) };
}

export const ipToString = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
export function ipToNumber(ip: string): number | undefined {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}

/** A range of integers handed out one at a time, first free after the last one given. */
export class RangeAllocator {
  private used = new Set<number>();
  private next = 0;
  constructor(readonly first: number, readonly count: number) {}

  has(n: number): boolean {
    return this.used.has(n);
  }
  contains(n: number): boolean {
    return n >= this.first && n < this.first + this.count;
  }
  reserve(n: number): boolean {
    if (!this.contains(n) || this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }
  allocate(): number | undefined {
    for (let i = 0; i < this.count; i++) {
      const n = this.first + ((this.next + i) % this.count);
      if (!this.used.has(n)) {
        this.used.add(n);
        this.next = (n - this.first + 1) % this.count;
        return n;
      }
    }
    return undefined;
  }
  release(n: number): void {
    this.used.delete(n);
  }
}

interface ServicePort {
  name?: string;
  port?: number;
  nodePort?: number;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
}

const needsNodePorts = (spec: ServiceSpec) => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const specOf = (obj: KubeObject) => (obj.spec ?? {}) as ServiceSpec;

export class ServiceAllocator {
  readonly ips: RangeAllocator;
  readonly ports: RangeAllocator;

  constructor(serviceCidr: string, nodePortRange: [number, number] = [30000, 32767]) {
    const { base, size } = parseCidr(serviceCidr);
    // Skip the network address (and the broadcast one).
    this.ips = new RangeAllocator(base + 1, size - 2);
    this.ports = new RangeAllocator(nodePortRange[0], nodePortRange[1] - nodePortRange[0] + 1);
  }

  /** Marks what existing Services use (at start). */
  restore(services: KubeObject[]): void {
    for (const s of services) {
      const spec = specOf(s);
      const ip = spec.clusterIP && ipToNumber(spec.clusterIP);
      if (ip !== undefined && ip !== '') this.ips.reserve(ip);
      for (const p of spec.ports ?? []) if (p.nodePort) this.ports.reserve(p.nodePort);
    }
  }

  release(obj: KubeObject): void {
    const spec = specOf(obj);
    const ip = spec.clusterIP && ipToNumber(spec.clusterIP);
    if (ip !== undefined && ip !== '') this.ips.release(ip);
    for (const p of spec.ports ?? []) if (p.nodePort) this.ports.release(p.nodePort);
  }

  admission(): AdmissionHook {
    return async (op, r, obj, old) => {
      if (r.group !== '' || r.resource !== 'services' || op === 'DELETE') return;
      const spec = specOf(obj);
      obj.spec = spec;
      const undo: (() => void)[] = [];
      const rollback = () => undo.forEach((fn) => fn());
      const fail = (field: string, value: unknown, detail: string) => {
        rollback();
        throw invalid('Service', '', obj.metadata.name ?? '', [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field }]);
      };
      const oldSpec = old ? specOf(old) : undefined;
      if (op === 'CREATE' && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
        if (spec.clusterIP) {
          const ip = ipToNumber(spec.clusterIP);
          if (ip === undefined) fail('spec.clusterIPs', [spec.clusterIP], 'must be a valid IP address');
          else if (!this.ips.contains(ip)) fail('spec.clusterIPs', [spec.clusterIP], 'failed to allocate IP: the provided IP is not in the valid range');
          else if (!this.ips.reserve(ip)) fail('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
          else undo.push(() => this.ips.release(ip));
        } else {
          const ip = this.ips.allocate();
          if (ip === undefined) fail('spec.clusterIPs', [], 'failed to allocate IP: range is full');
          else {
            undo.push(() => this.ips.release(ip));
            spec.clusterIP = ipToString(ip);
          }
        }
      }
      if (spec.clusterIP) {
        spec.clusterIPs = [spec.clusterIP];
        if (spec.clusterIP !== 'None' || !spec.ipFamilies) spec.ipFamilies = ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
      // NodePorts: keep the ones this Service already holds, reserve requested ones, allocate the rest.
      const held = new Set((oldSpec?.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n));
      if (needsNodePorts(spec)) {
        for (const [i, p] of (spec.ports ?? []).entries()) {
          if (p.nodePort) {
            if (held.has(p.nodePort)) continue;
            if (!this.ports.contains(p.nodePort)) fail(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.ports.first}-${this.ports.first + this.ports.count - 1}`);
            if (!this.ports.reserve(p.nodePort)) fail(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated');
            const n = p.nodePort;
            undo.push(() => this.ports.release(n));
          } else {
            const n = this.ports.allocate();
            if (n === undefined) fail(`spec.ports[${i}].nodePort`, 0, 'failed to allocate port: range is full');
            p.nodePort = n;
            undo.push(() => this.ports.release(n!));
          }
        }
      } else {
        for (const p of spec.ports ?? []) delete p.nodePort;
      }
      return rollback;
    };
  }

  /** Releases what a Service gave up on update, and everything on delete. */
  afterWrite(): ApiCore['afterWrite'][number] {
    return (op, r, obj, old) => {
      if (r.group !== '' || r.resource !== 'services') return;
      if (op === 'DELETE') return this.release(obj);
      if (op === 'UPDATE' && old) {
        const now = new Set(specOf(obj).ports?.map((p) => p.nodePort));
        for (const p of specOf(old).ports ?? []) if (p.nodePort && !now.has(p.nodePort)) this.ports.release(p.nodePort);
      }
    };
  }
}
