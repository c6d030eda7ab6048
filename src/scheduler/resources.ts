// Resource arithmetic for scheduling: quantities, pod requests (with the
// init-container and sidecar rules and overhead) and node allocatable.
import { milliValue, parseQuantity, QuantityParseError } from '../api/quantity.js';
import type { Container, Node, Pod, ResourceList } from './types.js';

export { QuantityParseError };

// Parsed once per distinct string: the same few request values recur across thousands of pods.
const milliCache = new Map<string, number>();

/** The quantity times 1000, rounded up (upstream's MilliValue), from the shared exact parser. */
export function quantityMilli(q: string | number): number {
  if (typeof q === 'number') return Math.ceil(q * 1000);
  const hit = milliCache.get(q);
  if (hit !== undefined) return hit;
  const out = Number(milliValue(parseQuantity(q.trim())));
  if (milliCache.size < 10_000) milliCache.set(q, out);
  return out;
}

/** The quantity rounded up to an integer (upstream's Value). */
export function quantityValue(q: string | number): number {
  return Math.ceil(quantityMilli(q) / 1000);
}

function safeMilli(q: string | number | undefined): number {
  if (q === undefined) return 0;
  try {
    return quantityMilli(q);
  } catch {
    return 0;
  }
}

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

// Scoring counts a container without requests as asking this much, so that
// best-effort pods still spread (upstream's non-zero defaults).
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** cpu in millicores, memory/ephemeral-storage in bytes, pods as a count, the rest as integer values. */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended and hugepage resources by name; only allocated when used. */
  scalar: Map<string, number> | undefined;

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    if (list) for (const [name, q] of Object.entries(list)) r.set(name, name === CPU ? safeMilli(q) : Math.ceil(safeMilli(q) / 1000));
    return r;
  }

  get(name: string): number {
    switch (name) {
      case CPU:
        return this.milliCPU;
      case MEMORY:
        return this.memory;
      case EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case PODS:
        return this.allowedPodNumber;
      default:
        return this.scalar?.get(name) ?? 0;
    }
  }

  set(name: string, v: number): void {
    switch (name) {
      case CPU:
        this.milliCPU = v;
        return;
      case MEMORY:
        this.memory = v;
        return;
      case EPHEMERAL_STORAGE:
        this.ephemeralStorage = v;
        return;
      case PODS:
        this.allowedPodNumber = v;
        return;
      default:
        (this.scalar ??= new Map()).set(name, v);
    }
  }

  /** this += sign * other */
  addScaled(o: Resource, sign: 1 | -1): void {
    this.milliCPU += sign * o.milliCPU;
    this.memory += sign * o.memory;
    this.ephemeralStorage += sign * o.ephemeralStorage;
    this.allowedPodNumber += sign * o.allowedPodNumber;
    if (o.scalar) for (const [k, v] of o.scalar) this.set(k, this.get(k) + sign * v);
  }

  /** Per-resource maximum, in place. */
  setMax(o: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, o.milliCPU);
    this.memory = Math.max(this.memory, o.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, o.ephemeralStorage);
    if (o.scalar) for (const [k, v] of o.scalar) this.set(k, Math.max(this.get(k), v));
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    if (this.scalar) r.scalar = new Map(this.scalar);
    return r;
  }

  isZero(): boolean {
    if (this.milliCPU || this.memory || this.ephemeralStorage) return false;
    if (this.scalar) for (const v of this.scalar.values()) if (v) return false;
    return true;
  }

  /** Names of the non-zero resources (for the scalar ones too). */
  names(): string[] {
    const out: string[] = [];
    if (this.milliCPU) out.push(CPU);
    if (this.memory) out.push(MEMORY);
    if (this.ephemeralStorage) out.push(EPHEMERAL_STORAGE);
    if (this.scalar) for (const [k, v] of this.scalar) if (v) out.push(k);
    return out;
  }
}

function containerRequests(c: Container): Resource {
  return Resource.fromList(c.resources?.requests);
}

function containerNonZero(c: Container): Resource {
  const r = new Resource();
  const req = c.resources?.requests;
  r.milliCPU = req?.[CPU] !== undefined ? safeMilli(req[CPU]) : DEFAULT_MILLI_CPU_REQUEST;
  r.memory = req?.[MEMORY] !== undefined ? Math.ceil(safeMilli(req[MEMORY]) / 1000) : DEFAULT_MEMORY_REQUEST;
  return r;
}

/**
 * The effective request of a pod: the larger of (regular containers + sidecars)
 * and each init container's peak (itself + the sidecars started before it),
 * plus pod overhead. `nonZero` applies the scoring defaults to each container.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const spec = pod.spec;
  const of = nonZero ? containerNonZero : containerRequests;
  const total = new Resource();
  for (const c of spec?.containers ?? []) total.addScaled(of(c), 1);
  const sidecars = new Resource();
  const initPeak = new Resource();
  for (const c of spec?.initContainers ?? []) {
    const r = of(c);
    if (c.restartPolicy === 'Always') {
      sidecars.addScaled(r, 1);
      initPeak.setMax(sidecars);
    } else {
      r.addScaled(sidecars, 1);
      initPeak.setMax(r);
    }
  }
  total.addScaled(sidecars, 1);
  total.setMax(initPeak);
  if (spec?.overhead) total.addScaled(Resource.fromList(spec.overhead), 1);
  total.allowedPodNumber = 0;
  return total;
}

/** Node allocatable (falling back to capacity), pods count included. */
export function nodeAllocatable(node: Node): Resource {
  return Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
}
