// applyDefaults: upstream's defaulting for built-in kinds, keyed by group and
// kind. Runs on decoded request bodies before validation; mutates in place.

import { isObject, type JsonObject } from '../json.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps.js';
import { defaultCronJob, defaultJob } from './batch.js';
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultNamespace,
  defaultNode,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPodTemplate,
  defaultReplicationController,
  defaultSecret,
} from './core.js';
import {
  defaultCSIDriver,
  defaultEndpointSlice,
  defaultHorizontalPodAutoscaler,
  defaultIngressClass,
  defaultNetworkPolicy,
  defaultPriorityClass,
  defaultRoleBinding,
  defaultStorageClass,
} from './other-groups.js';
import { defaultPod } from './pod-spec.js';
import { defaultService } from './service.js';

type Defaulter = (obj: JsonObject) => void;

const defaulters: Record<string, Defaulter> = {
  '/Pod': defaultPod,
  '/PodTemplate': defaultPodTemplate,
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  '/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  '/PersistentVolume': defaultPersistentVolume,
  '/Node': defaultNode,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'networking.k8s.io/IngressClass': defaultIngressClass,
  'rbac.authorization.k8s.io/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultRoleBinding,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'storage.k8s.io/CSIDriver': defaultCSIDriver,
  'scheduling.k8s.io/PriorityClass': defaultPriorityClass,
  'autoscaling/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
};

/** Whether applyDefaults knows this kind (others are left untouched). */
export const hasDefaults = (group: string, kind: string) => `${group}/${kind}` in defaulters;

/**
 * Applies upstream's defaults for group/kind to obj, in place. Unknown kinds
 * and non-object values are left alone. Idempotent.
 */
export function applyDefaults(group: string, kind: string, obj: unknown): void {
  const fn = defaulters[`${group}/${kind}`];
  if (fn && isObject(obj)) fn(obj);
}

export { defaultImagePullPolicy } from './pod-spec.js';
export { generateJobSelector } from './batch.js';
