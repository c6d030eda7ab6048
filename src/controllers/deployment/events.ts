// Best-effort core/v1 Events (what `kubectl describe` shows). A failed event
// write never fails a sync.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../api/meta.js';
import type { KubeClient } from '../../client/client.js';
import type { Clock } from '../../util/clock.js';
import { rfc3339 } from '../replicaset/status.js';

export type EventRecorder = (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export function eventRecorder(client: KubeClient, clock: Clock, component: string): EventRecorder {
  return (obj, type, reason, message) => {
    const now = rfc3339(clock.now());
    const ns = obj.metadata.namespace ?? 'default';
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      reason,
      message,
      type,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: component,
    };
    client.events.create(ns, event as KubeObject).catch(() => {});
  };
}
