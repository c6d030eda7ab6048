import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadApiTypeUses, loadModelClasses } from './client-node-models.js';
import { assignDefinitionNames, splitClassName } from './definition-names.js';

test('splitClassName separates group prefix, version and kind', () => {
  assert.deepEqual(splitClassName('V1beta2DeviceClass'), { version: 'v1beta2', kind: 'DeviceClass' });
  assert.deepEqual(splitClassName('AuthenticationV1TokenRequest'), { prefix: 'Authentication', version: 'v1', kind: 'TokenRequest' });
  assert.deepEqual(splitClassName('V2HorizontalPodAutoscaler'), { version: 'v2', kind: 'HorizontalPodAutoscaler' });
  assert.equal(splitClassName('VersionInfo'), undefined);
});

test('client-node classes map to upstream definition names', () => {
  const ids = assignDefinitionNames(loadModelClasses(), loadApiTypeUses());
  const def = (c: string): string | undefined => ids.get(c)?.definition;
  assert.equal(def('V1Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(def('V1PodList'), 'io.k8s.api.core.v1.PodList');
  assert.equal(def('V1Deployment'), 'io.k8s.api.apps.v1.Deployment');
  assert.equal(def('V1RollingUpdateDeployment'), 'io.k8s.api.apps.v1.RollingUpdateDeployment');
  assert.equal(def('V1ObjectMeta'), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal(def('V1LabelSelector'), 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector');
  // Shared by core and resource.k8s.io: core's.
  assert.equal(def('V1NodeSelector'), 'io.k8s.api.core.v1.NodeSelector');
  assert.equal(def('V1PodTemplateSpec'), 'io.k8s.api.core.v1.PodTemplateSpec');
  assert.equal(def('V1TopologySelectorTerm'), 'io.k8s.api.core.v1.TopologySelectorTerm');
  // Served only as subresources elsewhere.
  assert.equal(def('V1Scale'), 'io.k8s.api.autoscaling.v1.Scale');
  assert.equal(def('V1Eviction'), 'io.k8s.api.policy.v1.Eviction');
  assert.equal(def('AuthenticationV1TokenRequest'), 'io.k8s.api.authentication.v1.TokenRequest');
  assert.equal(def('V1BoundObjectReference'), 'io.k8s.api.authentication.v1.BoundObjectReference');
  // Group-prefixed names.
  assert.equal(def('CoreV1Event'), 'io.k8s.api.core.v1.Event');
  assert.equal(def('EventsV1Event'), 'io.k8s.api.events.v1.Event');
  assert.equal(def('RbacV1Subject'), 'io.k8s.api.rbac.v1.Subject');
  assert.equal(def('FlowcontrolV1Subject'), 'io.k8s.api.flowcontrol.v1.Subject');
  // Groups outside io.k8s.api.
  assert.equal(def('V1CustomResourceDefinition'), 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
  assert.equal(def('V1APIService'), 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService');
  assert.equal(def('V2HorizontalPodAutoscaler'), 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
  assert.equal(def('V1NetworkPolicy'), 'io.k8s.api.networking.v1.NetworkPolicy');
  assert.equal(def('VersionInfo'), 'io.k8s.apimachinery.pkg.version.Info');
  assert.equal(ids.get('V1ClusterRole')?.group, 'rbac.authorization.k8s.io');
});
