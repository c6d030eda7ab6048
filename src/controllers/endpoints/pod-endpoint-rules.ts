// Which pods back a Service and how: the rules both the Endpoints and the
// EndpointSlice controllers follow (upstream's endpoint utilities).
import type { Pod, Service } from '../../client/types.js';

export type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * A pod is an endpoint once it has an IP and can still run: terminal pods
 * whose restart policy will not bring them back are left out, and so are
 * terminating pods unless the caller keeps them.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status.phase;
  switch (pod.spec?.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/** A pod gets a DNS hostname under a headless-style service named by its subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  const spec = pod.spec as { hostname?: string; subdomain?: string } | undefined;
  return !!spec?.hostname && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/**
 * The pod port a service port targets: a number is used as is; a name is
 * looked up among the pod's container ports of the same protocol. Undefined
 * when the pod has no such named port.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const asNumber = /^\d+$/.test(target) ? Number(target) : undefined;
  if (asNumber !== undefined) return asNumber;
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of (c.ports as ContainerPort[] | undefined) ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** A service with a selector (possibly empty-but-present) and not ExternalName is the controllers' business. */
export function serviceSelector(svc: Service): Record<string, string> | undefined {
  if (svc.spec?.type === 'ExternalName') return undefined;
  return svc.spec?.selector ?? undefined;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}
