// Which printer serves which group/resource. Resources upstream prints with
// its generic convertor (roles, cluster roles, limit ranges, CRDs, ...) are
// deliberately absent and get the default NAME / CREATED AT table.

import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  componentStatusPrinter,
  eventPrinter,
  eventsV1Printer,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  validatingAdmissionPolicyPrinter,
  webhookConfigurationPrinter,
} from './cluster.js';
import { defaultPrinter } from './default-printer.js';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
  servicePrinter,
} from './networking.js';
import { podPrinter } from './pod.js';
import {
  clusterRoleBindingPrinter,
  horizontalPodAutoscalerPrinter,
  podDisruptionBudgetPrinter,
  roleBindingPrinter,
} from './policy.js';
import {
  configMapPrinter,
  csiDriverPrinter,
  csiNodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
} from './storage.js';
import type { TablePrinter } from './types.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.js';

/** Keyed by `group/resource`; the core group is the empty string. */
const PRINTERS = new Map<string, TablePrinter>([
  ['/pods', podPrinter],
  ['/podtemplates', podTemplatePrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/namespaces', namespacePrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['/componentstatuses', componentStatusPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['networking.k8s.io/ingressclasses', ingressClassPrinter],
  ['networking.k8s.io/networkpolicies', networkPolicyPrinter],
  ['events.k8s.io/events', eventsV1Printer],
  ['coordination.k8s.io/leases', leasePrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['autoscaling/horizontalpodautoscalers', horizontalPodAutoscalerPrinter],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
  ['storage.k8s.io/csidrivers', csiDriverPrinter],
  ['storage.k8s.io/csinodes', csiNodePrinter],
  ['storage.k8s.io/volumeattachments', volumeAttachmentPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['node.k8s.io/runtimeclasses', runtimeClassPrinter],
  ['certificates.k8s.io/certificatesigningrequests', certificateSigningRequestPrinter],
  ['apiregistration.k8s.io/apiservices', apiServicePrinter],
  ['admissionregistration.k8s.io/mutatingwebhookconfigurations', webhookConfigurationPrinter],
  ['admissionregistration.k8s.io/validatingwebhookconfigurations', webhookConfigurationPrinter],
  ['admissionregistration.k8s.io/validatingadmissionpolicies', validatingAdmissionPolicyPrinter],
]);

/** The printer for a built-in resource, or the default NAME / CREATED AT one. */
export function printerFor(group: string, resource: string): TablePrinter {
  return PRINTERS.get(`${group}/${resource}`) ?? defaultPrinter;
}

/** Whether a dedicated printer exists (false means the default table is used). */
export function hasPrinter(group: string, resource: string): boolean {
  return PRINTERS.has(`${group}/${resource}`);
}
