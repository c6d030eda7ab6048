// Defaults for the smaller API groups: networking, rbac, storage, scheduling,
// autoscaling, discovery.

import { asArray, asObject, ensureObject, isObject, objectsIn, setDefault, type JsonObject } from '../json.js';

export function defaultNetworkPolicy(np: JsonObject): void {
  const spec = ensureObject(np, 'spec');
  // A policy without policyTypes implies Ingress, plus Egress if it has egress rules.
  if (asArray(spec.policyTypes).length === 0) {
    spec.policyTypes = asArray(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const rule of [...objectsIn(spec.ingress), ...objectsIn(spec.egress)])
    for (const port of objectsIn(rule.ports)) if (!port.protocol) port.protocol = 'TCP';
}

export function defaultIngressClass(ic: JsonObject): void {
  const params = asObject(ic.spec).parameters;
  if (isObject(params) && !params.scope) params.scope = 'Cluster';
}

const rbacGroup = 'rbac.authorization.k8s.io';

function defaultSubjects(subjects: unknown): void {
  for (const s of objectsIn(subjects)) {
    if (s.apiGroup !== undefined && s.apiGroup !== '') continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = rbacGroup;
    else if (s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

export function defaultRoleBinding(rb: JsonObject): void {
  const ref = ensureObject(rb, 'roleRef');
  if (!ref.apiGroup) ref.apiGroup = rbacGroup;
  defaultSubjects(rb.subjects);
}

export function defaultStorageClass(sc: JsonObject): void {
  if (!sc.reclaimPolicy) sc.reclaimPolicy = 'Delete';
  if (!sc.volumeBindingMode) sc.volumeBindingMode = 'Immediate';
}

export function defaultCSIDriver(d: JsonObject): void {
  const spec = ensureObject(d, 'spec');
  setDefault(spec, 'attachRequired', true);
  setDefault(spec, 'podInfoOnMount', false);
  setDefault(spec, 'storageCapacity', false);
  setDefault(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  setDefault(spec, 'requiresRepublish', false);
  setDefault(spec, 'seLinuxMount', false);
  if (asArray(spec.volumeLifecycleModes).length === 0) spec.volumeLifecycleModes = ['Persistent'];
}

export function defaultPriorityClass(pc: JsonObject): void {
  if (!pc.preemptionPolicy) pc.preemptionPolicy = 'PreemptLowerPriority';
}

const defaultScaleUp = () => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
// Scale-down stabilization stays unset: the controller's flag supplies it.
const defaultScaleDown = () => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

function fillRules(rules: JsonObject, defaults: JsonObject): void {
  for (const [k, v] of Object.entries(defaults)) if (rules[k] === undefined || rules[k] === null) rules[k] = v;
}

/** HorizontalPodAutoscaler, autoscaling/v2 or v1 shape (told apart by apiVersion). */
export function defaultHorizontalPodAutoscaler(hpa: JsonObject): void {
  const spec = ensureObject(hpa, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (hpa.apiVersion === 'autoscaling/v1') return;
  if (asArray(spec.metrics).length === 0)
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  if (isObject(spec.behavior)) {
    fillRules(ensureObject(spec.behavior, 'scaleUp'), defaultScaleUp());
    fillRules(ensureObject(spec.behavior, 'scaleDown'), defaultScaleDown());
  }
}

export function defaultEndpointSlice(es: JsonObject): void {
  for (const port of objectsIn(es.ports)) {
    setDefault(port, 'name', '');
    setDefault(port, 'protocol', 'TCP');
  }
}
