// A small list table for Deployment and Pod paths, for this module's tests.
import type { ListKeys, ListType } from './schema.js';

const byName: ListType = { type: 'map', keys: ['name'] };
const LISTS: Record<string, ListType> = {
  'metadata.finalizers': { type: 'set' },
  'spec.containers': byName,
  'spec.containers.[].env': byName,
  'spec.containers.[].ports': { type: 'map', keys: ['containerPort', 'protocol'] },
  'spec.template.spec.containers': byName,
  'spec.template.spec.containers.[].env': byName,
  'spec.template.spec.containers.[].ports': { type: 'map', keys: ['containerPort', 'protocol'] },
  'spec.template.spec.tolerations': { type: 'atomic' },
};

export const testListKeys: ListKeys = (path) => LISTS[path.join('.')];

export type Obj = Record<string, unknown>;

/** Reads a dotted path ("spec.containers.0.name") out of JSON, for assertions. */
export function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** A deep copy of obj with the value at a dotted path set (parents must exist). */
export function withAt(obj: object, path: string, value: unknown): Obj {
  const copy = structuredClone(obj) as Obj;
  const keys = path.split('.');
  const parent = at(copy, keys.slice(0, -1).join('.')) ?? copy;
  (parent as Record<string, unknown>)[keys[keys.length - 1]!] = value;
  return copy;
}
