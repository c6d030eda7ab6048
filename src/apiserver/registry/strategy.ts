// Per-resource behaviour on create and update, as upstream's registry
// strategies define it: which fields are reset, when generation moves, and
// what the status subresource may change.
import type { KubeObject } from './storage-codec.js';
import type { ResourceInfo } from './resource-info.js';

export interface Strategy {
  /** Called on create, before defaulting and validation. */
  prepareForCreate(obj: KubeObject): void;
  /** Called on an update of the main resource: carries over what the request may not change. */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** Called on an update through the status subresource. */
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void;
  /** Whether metadata.generation is kept and bumped on spec changes. */
  tracksGeneration: boolean;
}

/** Kinds whose controllers report status.observedGeneration, so the server keeps generation. */
const GENERATION_KINDS = new Set([
  'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy', 'CustomResourceDefinition',
  'PriorityClass', 'StorageClass', 'IngressClass', 'Pod',
]);

const hasStatusSub = (r: ResourceInfo) => r.subresources.some((s) => s.name === 'status');

/** Everything but metadata and status: the "spec" whose change bumps generation. */
export function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

function initialStatus(r: ResourceInfo, obj: KubeObject): unknown {
  switch (r.kind) {
    case 'Pod':
      return { phase: 'Pending' };
    case 'Namespace':
      return {}; // defaulting (defaultNamespace) sets phase Active and adds the "kubernetes" finalizer to new namespaces
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return { phase: 'Pending' };
    case 'Node':
      return obj.status ?? {}; // the kubelet registers its node with status
    default:
      return undefined;
  }
}

export function strategyFor(r: ResourceInfo): Strategy {
  const statusSub = hasStatusSub(r);
  const tracksGeneration = r.crd !== undefined || GENERATION_KINDS.has(r.kind);
  return {
    tracksGeneration,
    prepareForCreate(obj) {
      if (!statusSub) return;
      const status = initialStatus(r, obj);
      if (status === undefined) delete obj.status;
      else obj.status = status;
    },
    prepareForUpdate(obj, old) {
      if (r.group === '' && r.kind === 'Service') keepClusterIPs(obj, old);
      if (statusSub) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    },
    prepareForStatusUpdate(obj, old) {
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const k of Object.keys(old)) if (k !== 'status' && k !== 'metadata') obj[k] = old[k];
      const { labels, annotations, finalizers, ownerReferences } = old.metadata;
      Object.assign(obj.metadata, { labels, annotations, finalizers, ownerReferences });
      for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
        if (obj.metadata[k] === undefined) delete obj.metadata[k];
      }
    },
  };
}

/** An update that leaves out the allocated cluster IPs keeps them, as upstream's service REST does. */
function keepClusterIPs(obj: KubeObject, old: KubeObject): void {
  const spec = (obj.spec ?? {}) as { clusterIP?: string; clusterIPs?: string[]; ports?: { port?: number; nodePort?: number }[]; type?: string };
  const prev = (old.spec ?? {}) as typeof spec;
  if (!spec.clusterIP && prev.clusterIP) spec.clusterIP = prev.clusterIP;
  if (!spec.clusterIPs?.length && prev.clusterIPs) spec.clusterIPs = prev.clusterIPs;
  obj.spec = spec;
}
