// Host ports in use on a node: a port conflicts when protocol and port match
// and either address is the wildcard 0.0.0.0 or both are equal.
import type { HostPort } from './pod-info.js';

const WILDCARD = '0.0.0.0';

export class HostPortSet {
  // `${protocol}/${port}` → ip → reference count
  private readonly used = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    const k = `${p.protocol}/${p.port}`;
    let ips = this.used.get(k);
    if (!ips) this.used.set(k, (ips = new Map()));
    ips.set(p.ip, (ips.get(p.ip) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const k = `${p.protocol}/${p.port}`;
    const ips = this.used.get(k);
    const n = ips?.get(p.ip);
    if (!ips || n === undefined) return;
    if (n <= 1) ips.delete(p.ip);
    else ips.set(p.ip, n - 1);
    if (ips.size === 0) this.used.delete(k);
  }

  conflicts(p: HostPort): boolean {
    const ips = this.used.get(`${p.protocol}/${p.port}`);
    if (!ips) return false;
    if (p.ip === WILDCARD) return ips.size > 0;
    return ips.has(WILDCARD) || ips.has(p.ip);
  }

  get size(): number {
    return this.used.size;
  }

  clone(): HostPortSet {
    const c = new HostPortSet();
    for (const [k, ips] of this.used) c.used.set(k, new Map(ips));
    return c;
  }
}
