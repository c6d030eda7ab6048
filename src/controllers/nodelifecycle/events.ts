// Best-effort core/v1 Events about the objects the controller acts on, so
// `kubectl describe` shows why a node was marked or a pod deleted.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../api/meta.js';
import type { KubeClient } from '../../client/client.js';
import type { Logger } from '../../util/log.js';
import { rfc3339 } from '../../api/time.js';

export interface EventRecorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export function eventRecorder(client: KubeClient, component: string, logger: Logger, now: () => number): EventRecorder {
  return {
    event(obj, type, reason, message) {
      const namespace = obj.metadata.namespace || 'default';
      const ts = rfc3339(now());
      const body: KubeObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid },
        reason,
        message,
        type,
        source: { component },
        reportingComponent: component,
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
      };
      client.events.create(namespace, body).catch((err: unknown) => logger.debug('event not recorded', { reason, err: err instanceof Error ? err.message : String(err) }));
    },
  };
}
