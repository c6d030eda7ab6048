// Best-effort core/v1 Events about the objects controllers act on (what
// `kubectl describe` shows), as upstream's event recorder writes them without
// its aggregation. A failed event write never fails a sync.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../api/meta.js';
import { rfc3339 } from '../api/time.js';
import type { KubeClient } from '../client/client.js';
import type { Logger } from '../util/log.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export function newEventRecorder(client: KubeClient, component: string, now: () => number = Date.now, logger?: Logger): EventRecorder {
  return {
    event(obj, type, reason, message) {
      const ns = obj.metadata.namespace || 'default';
      const time = rfc3339(now());
      const involvedObject = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion };
      client.events
        .create(ns, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
          involvedObject,
          reason,
          message,
          type,
          source: { component },
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
          reportingComponent: component,
          reportingInstance: component,
        } as KubeObject)
        .catch((err: unknown) => logger?.debug('event not recorded', { reason, err: err instanceof Error ? err.message : String(err) }));
    },
  };
}
