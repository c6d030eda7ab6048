// Service defaults (SetDefaults_Service), plus the IP-family fields that the
// upstream service REST layer fills on create for a single-stack cluster.

import { asArray, asObject, ensureObject, isObject, objectsIn, type JsonObject } from '../json.js';

const externallyAccessible = (spec: JsonObject) =>
  spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && asArray(spec.externalIPs).length > 0);

export function defaultService(svc: JsonObject): void {
  const spec = ensureObject(svc, 'spec');
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = asObject(asObject(spec.sessionAffinityConfig).clientIP).timeoutSeconds;
    if (timeout == null) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of objectsIn(spec.ports)) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '')
      port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(String(spec.type)))
    spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (spec.type !== 'ExternalName') {
    if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = 'SingleStack';
    if (asArray(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
    // clusterIPs mirrors clusterIP when only the latter is given.
    if (typeof spec.clusterIP === 'string' && spec.clusterIP && asArray(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
  }
  if (spec.type === 'LoadBalancer' && isObject(svc.status) && isObject(svc.status.loadBalancer))
    for (const ing of objectsIn(svc.status.loadBalancer.ingress)) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
}
