// How API objects sit in the store: JSON, keyed by group/resource/namespace/name,
// with resourceVersion left out (the store's revision is the resourceVersion).
import type { KeyValue } from '../../storage/interface.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from './resource-info.js';

export type { KubeObject };

const groupSegment = (r: Pick<ResourceInfo, 'group'>) => r.group || 'core';

/** `/apps/deployments/` or `/apps/deployments/<ns>/` */
export function resourcePrefix(r: Pick<ResourceInfo, 'group' | 'resource' | 'namespaced'>, namespace?: string): string {
  const base = `/${groupSegment(r)}/${r.resource}/`;
  return r.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(r: Pick<ResourceInfo, 'group' | 'resource' | 'namespaced'>, namespace: string, name: string): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}

export function encodeObject(obj: KubeObject): Buffer {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata }));
}

export function decodeObject(kv: Pick<KeyValue, 'value' | 'modRevision'>): KubeObject {
  const obj = JSON.parse(kv.value.toString()) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * The JSON text of a cached object, serialized once however many lists and
 * watchers send it (cached objects are shared and never mutated).
 */
const jsonCache = new WeakMap<object, string>();
export function jsonOf(obj: KubeObject): string {
  let text = jsonCache.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    jsonCache.set(obj, text);
  }
  return text;
}

/**
 * One watch event line (`{"type":...,"object":...}` and a newline) as bytes.
 * A cache delivers each event to all its watchers in one go, so remembering
 * the last line encodes it once per event, however many watchers get it,
 * without keeping a second copy of every object.
 */
let lastLine: { type: string; obj: KubeObject; bytes: Buffer } | undefined;
export function watchLineOf(type: string, obj: KubeObject): Buffer {
  if (lastLine?.obj !== obj || lastLine.type !== type) {
    lastLine = { type, obj, bytes: Buffer.from(`{"type":"${type}","object":${jsonOf(obj)}}\n`) };
  }
  return lastLine.bytes;
}
