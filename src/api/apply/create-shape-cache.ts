// The managedFields entry a create records depends only on the object's
// shape: which fields are set, not what they are set to (a scalar member is
// a member whatever its value). Lists are the exception (their items are
// identified by keys or values), so they count in full. Creates of one shape
// (every pod a ReplicaSet makes from its template) share one computed entry,
// and skip comparing the object against nothing and encoding the set again.
import { isObject as isRecord } from '../json.js';
import { FieldSet } from './field-set.js';

/** A string equal for two objects exactly when their field sets are sure to be equal. */
export function shapeOf(v: unknown): string {
  if (v === null) return 'n';
  if (v === undefined) return 'u';
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v !== 'object') return 's';
  let out = '{';
  for (const k in v as Record<string, unknown>) out += `${JSON.stringify(k)}:${shapeOf((v as Record<string, unknown>)[k])},`;
  return `${out}}`;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Bounded (oldest out first) map from scope + shape to the managedFields entry a create made, minus its time. */
export class CreateShapeCache {
  private readonly entries = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(private readonly max = 1024) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The managedFields of a create of `obj` by `scope` (the endpoint, version and
   * manager) at `time`: from the cache, or from `compute` (whose single entry
   * is kept; it is frozen, as objects sharing it must never change it).
   */
  managedFields(scope: string, obj: unknown, time: string, compute: () => unknown[] | undefined): unknown[] | undefined {
    const key = `${scope}\u0000${shapeOf(obj)}`;
    const hit = this.entries.get(key);
    if (hit) return [{ ...hit, time }];
    const computed = compute();
    const entry = computed?.length === 1 ? computed[0] : undefined;
    if (entry && typeof entry === 'object') {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      const frozen = deepFreeze({ ...(entry as Record<string, unknown>) });
      this.entries.set(key, frozen);
      // Every object created with this entry shares its fieldsV1: their updates reuse its field set.
      if (isRecord(frozen.fieldsV1)) {
        try {
          FieldSet.share(frozen.fieldsV1);
        } catch {
          // not a fieldsV1 we can read: its objects decode it on each write instead
        }
      }
    }
    return computed;
  }
}
