// Writes core/v1 Events about an object, as upstream's event recorder does
// (without its aggregation): best effort, failures are ignored.
import type { KubeObject } from '../../api/meta.js';
import type { KubeClient } from '../../client/client.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

let seq = 0;

export function newEventRecorder(client: KubeClient, component: string, now: () => number = Date.now): EventRecorder {
  return {
    event(obj, type, reason, message) {
      const ns = obj.metadata.namespace || 'default';
      const t = now();
      const time = new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
      const name = `${obj.metadata.name}.${(t * 1000 + (seq++ % 1000)).toString(16)}`;
      void client.events
        .create(ns, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: ns },
          involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
          reason,
          message,
          type,
          source: { component },
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
          reportingComponent: component,
          reportingInstance: component,
        })
        .catch(() => undefined);
    },
  };
}
