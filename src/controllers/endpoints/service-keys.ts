// Maps a pod event to the keys of the Services whose selectors pick the pod
// (before or after the change), so both the old and the new owners resync.
import { deletedObject, type HandlerRegistration, type SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, objectKey } from '../../client/store.js';
import type { Pod, Service } from '../../client/types.js';
import { serviceSelector } from './pod-endpoint-rules.js';
import { selectorMatches } from './subsets.js';

export function servicesForPods(services: SharedInformer<Service>, ...pods: (Pod | undefined)[]): Set<string> {
  const keys = new Set<string>();
  for (const pod of pods) {
    if (!pod?.metadata.namespace) continue;
    for (const svc of services.store.byIndex(NAMESPACE_INDEX, pod.metadata.namespace)) {
      const sel = serviceSelector(svc);
      if (sel && selectorMatches(sel, pod.metadata.labels)) keys.add(objectKey(svc));
    }
  }
  return keys;
}

/** Only changes an endpoint could see: IP, readiness, labels, phase, deletion, node, hostname, ports. */
export function podEndpointFieldsChanged(a: Pod, b: Pod): boolean {
  if (a.metadata.resourceVersion === b.metadata.resourceVersion) return false;
  const view = (p: Pod) =>
    JSON.stringify([
      p.status?.podIP,
      p.status?.phase,
      p.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      p.metadata.labels,
      p.metadata.deletionTimestamp,
      p.spec?.nodeName,
      (p.spec as { hostname?: string })?.hostname,
      (p.spec as { subdomain?: string })?.subdomain,
      p.spec?.containers.map((c) => c.ports),
    ]);
  return view(a) !== view(b);
}

/**
 * The event wiring both endpoint controllers share: a Service change
 * enqueues that Service; a pod change that an endpoint could see enqueues
 * every Service selecting the pod before or after it.
 */
export function enqueueServicesAndPods(services: SharedInformer<Service>, pods: SharedInformer<Pod>, queue: { add(key: string): void }): HandlerRegistration[] {
  const enqueuePods = (...ps: (Pod | undefined)[]) => {
    for (const k of servicesForPods(services, ...ps)) queue.add(k);
  };
  return [
    services.addEventHandler({
      onAdd: (s) => queue.add(objectKey(s)),
      onUpdate: (_o, s) => queue.add(objectKey(s)),
      onDelete: (s) => queue.add(objectKey(deletedObject(s))),
    }),
    pods.addEventHandler({
      onAdd: (p) => enqueuePods(p),
      onUpdate: (o, p) => {
        if (podEndpointFieldsChanged(o, p)) enqueuePods(o, p);
      },
      onDelete: (p) => enqueuePods(deletedObject(p)),
    }),
  ];
}
