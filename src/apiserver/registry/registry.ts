// The set of served resources: built-ins plus CustomResourceDefinitions,
// which come and go while the server runs.
import type { ResourceInfo } from './resource-info.js';

export interface Resolved {
  info: ResourceInfo;
  /** The version the request addressed (one of info.versions). */
  version: string;
}

export class Registry {
  private byPath = new Map<string, ResourceInfo>();
  private order: ResourceInfo[] = [];
  private listeners = new Set<() => void>();

  constructor(resources: ResourceInfo[] = []) {
    for (const r of resources) this.add(r);
  }

  private static path(group: string, resource: string): string {
    return `${group}/${resource}`;
  }

  add(r: ResourceInfo): void {
    const key = Registry.path(r.group, r.resource);
    if (this.byPath.has(key)) this.order = this.order.filter((x) => Registry.path(x.group, x.resource) !== key);
    this.byPath.set(key, r);
    this.order.push(r);
    for (const l of this.listeners) l();
  }

  remove(group: string, resource: string): void {
    const key = Registry.path(group, resource);
    if (!this.byPath.delete(key)) return;
    this.order = this.order.filter((x) => Registry.path(x.group, x.resource) !== key);
    for (const l of this.listeners) l();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  resolve(group: string, version: string, resource: string): Resolved | undefined {
    const info = this.byPath.get(Registry.path(group, resource));
    if (!info || !info.versions.includes(version)) return undefined;
    return { info, version };
  }

  byKind(group: string, kind: string): ResourceInfo | undefined {
    return this.order.find((r) => r.group === group && r.kind === kind);
  }

  all(): readonly ResourceInfo[] {
    return this.order;
  }

  /** Groups in discovery order: core first, then by first registration. */
  groups(): { group: string; versions: string[] }[] {
    const out = new Map<string, string[]>();
    for (const r of this.order) {
      const vs = out.get(r.group) ?? [];
      for (const v of r.versions) if (!vs.includes(v)) vs.push(v);
      out.set(r.group, vs);
    }
    return [...out].map(([group, versions]) => ({ group, versions }));
  }

  /** Resources served at group/version. */
  inVersion(group: string, version: string): ResourceInfo[] {
    return this.order.filter((r) => r.group === group && r.versions.includes(version));
  }
}
