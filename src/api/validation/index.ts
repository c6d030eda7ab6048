// validate(): upstream's create/update validation for built-in kinds, keyed
// by group and kind. Returns field errors; empty means valid. Expects the
// object to have been through applyDefaults first, as upstream does.

import { asObject, type JsonObject } from '../json.js';
import type { FieldError } from './field-error.js';
import { nameIsDNSSubdomain, type NameFn } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePod, validatePodTemplateSpec, validatePodUpdate } from './pod.js';
import { validateService, type ServiceValidationOptions } from './service.js';
import { validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from './workloads.js';
import { validateCronJob, validateJob } from './batch.js';
import { validateConfigMap, validateSecret } from './config.js';
import {
  metaErrors,
  validateEndpoints,
  validateEvent,
  validateNamespace,
  validateNode,
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validateServiceAccount,
} from './core-misc.js';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from './networking.js';
import { validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac.js';
import {
  validateEndpointSlice,
  validateHorizontalPodAutoscaler,
  validateLease,
  validatePriorityClass,
  validateStorageClass,
} from './other-groups.js';
import { validateNonnegative } from './common.js';

type Validator = (obj: unknown, old?: unknown) => FieldError[];

export interface ValidateOptions {
  /** Scope for kinds this module does not know (custom resources). */
  namespaced?: boolean;
  nameFn?: NameFn;
  service?: ServiceValidationOptions;
}

function validatePodTemplate(obj: unknown, old?: unknown): FieldError[] {
  const pt = asObject(obj);
  return [...metaErrors(pt, old, { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validatePodTemplateSpec(pt.template, 'template')];
}

function validateReplicationController(obj: unknown, old?: unknown): FieldError[] {
  const rc = asObject(obj);
  const spec = asObject(rc.spec);
  return [
    ...metaErrors(rc, old, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...validatePodTemplateSpec(spec.template, 'spec.template'),
  ];
}

const validators: Record<string, Validator> = {
  '/Pod': (o, old) => (old ? validatePodUpdate(o, old) : validatePod(o)),
  '/PodTemplate': validatePodTemplate,
  '/ReplicationController': validateReplicationController,
  '/ConfigMap': validateConfigMap,
  '/Secret': validateSecret,
  '/Namespace': validateNamespace,
  '/Node': validateNode,
  '/ServiceAccount': validateServiceAccount,
  '/PersistentVolume': validatePersistentVolume,
  '/PersistentVolumeClaim': validatePersistentVolumeClaim,
  '/Event': validateEvent,
  '/Endpoints': validateEndpoints,
  'apps/Deployment': validateDeployment,
  'apps/ReplicaSet': validateReplicaSet,
  'apps/StatefulSet': validateStatefulSet,
  'apps/DaemonSet': validateDaemonSet,
  'batch/Job': validateJob,
  'batch/CronJob': validateCronJob,
  'networking.k8s.io/Ingress': validateIngress,
  'networking.k8s.io/IngressClass': validateIngressClass,
  'networking.k8s.io/NetworkPolicy': validateNetworkPolicy,
  'coordination.k8s.io/Lease': validateLease,
  'scheduling.k8s.io/PriorityClass': validatePriorityClass,
  'rbac.authorization.k8s.io/Role': validateRole,
  'rbac.authorization.k8s.io/ClusterRole': validateClusterRole,
  'rbac.authorization.k8s.io/RoleBinding': validateRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': validateClusterRoleBinding,
  'discovery.k8s.io/EndpointSlice': validateEndpointSlice,
  'storage.k8s.io/StorageClass': validateStorageClass,
  'autoscaling/HorizontalPodAutoscaler': validateHorizontalPodAutoscaler,
};

// Built-in kinds validated for metadata only, with their scope.
const metadataOnly: Record<string, boolean> = {
  '/LimitRange': true,
  '/ResourceQuota': true,
  'events.k8s.io/Event': true,
  'storage.k8s.io/CSIDriver': false,
  'storage.k8s.io/CSINode': false,
  'storage.k8s.io/VolumeAttachment': false,
  'storage.k8s.io/CSIStorageCapacity': true,
  'node.k8s.io/RuntimeClass': false,
  'policy/PodDisruptionBudget': true,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': false,
  'apiextensions.k8s.io/CustomResourceDefinition': false,
  'certificates.k8s.io/CertificateSigningRequest': false,
  'flowcontrol.apiserver.k8s.io/FlowSchema': false,
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': false,
  'apps/ControllerRevision': true,
};

/** Whether validate() has kind-specific rules for group/kind. */
export const hasValidation = (group: string, kind: string) => `${group}/${kind}` in validators;

/**
 * Validates obj (a create when old is absent, else an update from old).
 * Kinds without specific rules get metadata validation when their scope is
 * known (built-in table or opts.namespaced); otherwise nothing is checked.
 */
export function validate(group: string, kind: string, obj: unknown, old?: object, opts: ValidateOptions = {}): FieldError[] {
  const id = `${group}/${kind}`;
  if (id === '/Service') return validateService(obj, old, opts.service);
  const fn = validators[id];
  if (fn) return fn(obj, old);
  const namespaced = metadataOnly[id] ?? opts.namespaced;
  if (namespaced === undefined) return [];
  const meta = (asObject(obj) as JsonObject).metadata;
  return old
    ? validateObjectMetaUpdate(meta, asObject(old).metadata)
    : validateObjectMeta(meta, { namespaced, nameFn: opts.nameFn ?? nameIsDNSSubdomain });
}

export type { FieldError } from './field-error.js';
export { invalidStatus, invalidStatusDetails, ValidationError } from './field-error.js';
