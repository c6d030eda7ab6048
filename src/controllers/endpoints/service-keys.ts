// Maps a pod event to the keys of the Services whose selectors pick the pod
// (before or after the change), so both the old and the new owners resync.
import type { SharedInformer } from '../../client/informer.js';
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
