// Object metadata types and the small helpers every component needs. The
// types are deliberately loose: objects travel as plain JSON and each
// component only reads the fields it cares about.
import { randomInt } from 'node:crypto';
import { isObject as isPlainObject } from './json.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [k: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

/** Returns an integer in [0, n). Injectable so tests are deterministic. */
export type RandomIndex = (n: number) => number;

// Upstream's alphabet leaves out vowels (no accidental words) and easily
// confused characters (0/o, 1/l, 3/e).
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
const MAX_NAME_LENGTH = 63;
const MAX_BASE_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/** `metadata.generateName` expansion: base (cut to 58 chars) + 5 random chars. */
export function generateName(base: string, random: RandomIndex = randomInt): string {
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += NAME_ALPHABET[random(NAME_ALPHABET.length)];
  return base.slice(0, MAX_BASE_LENGTH) + suffix;
}

/** The owner reference marked `controller: true`, if any. */
export function controllerRef(obj: { metadata?: ObjectMeta }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** True when `owner` (matched by uid) is the controller of `obj`. */
export function isControlledBy(obj: { metadata?: ObjectMeta }, owner: { metadata?: ObjectMeta }): boolean {
  const ref = controllerRef(obj);
  const uid = owner.metadata?.uid;
  return ref !== undefined && uid !== undefined && uid !== '' && ref.uid === uid;
}

/**
 * Structural equality of JSON values: key order does not matter, and a key
 * whose value is `undefined` counts as absent (it would not be serialized).
 */
export function deepEqualJSON(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqualJSON(v, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqualJSON(a[k], b[k]));
  }
  return false;
}

/** A deep copy of a JSON value (no functions, dates or cycles expected). */
export function deepCopyJSON<T>(v: T): T {
  return structuredClone(v);
}
