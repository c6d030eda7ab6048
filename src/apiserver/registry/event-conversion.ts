// events.k8s.io/v1 Events are stored as core/v1 Events, as upstream does:
// one object, two views. Field mapping per upstream's conversion functions.
import type { KubeObject } from '../../api/meta.js';
import type { Conversion } from './resource-info.js';

/** events.k8s.io/v1 field ↔ core/v1 field; the rest keep their names. */
const RENAMED: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SHARED = ['eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'];

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: obj.metadata };
  for (const [from, to] of pairs) if (obj[from] !== undefined) out[to] = obj[from];
  for (const k of SHARED) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

export const eventsV1Conversion: Conversion = {
  storedAs: { group: '', resource: 'events' },
  toStored: (obj) => rename(obj, RENAMED, 'v1'),
  fromStored: (obj) => rename(obj, RENAMED.map(([a, b]) => [b, a]), 'events.k8s.io/v1'),
};
