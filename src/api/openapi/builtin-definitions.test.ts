import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyFieldExtensions,
  builtinCatalog,
  INT_OR_STRING,
  QUANTITY,
  referencedDefinitions,
  TIME,
} from './builtin-definitions.js';

const ref = (d: string): string => `#/components/schemas/${d}`;

test('top-level kinds carry their group-version-kind as an array', () => {
  const { definitions, byGvk } = builtinCatalog();
  assert.deepEqual(definitions['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  assert.deepEqual(definitions['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [
    { group: 'apps', version: 'v1', kind: 'Deployment' },
  ]);
  assert.equal(byGvk.get('apps/v1/DeploymentList'), 'io.k8s.api.apps.v1.DeploymentList');
  assert.equal(definitions['io.k8s.api.core.v1.PodSpec']?.['x-kubernetes-group-version-kind'], undefined);
});

test('field schemas: types, formats, refs, required and descriptions', () => {
  const { definitions } = builtinCatalog();
  const container = definitions['io.k8s.api.core.v1.Container'];
  assert.ok(container?.properties);
  assert.deepEqual(container.required, ['name']);
  assert.equal(container.properties.image?.type, 'string');
  assert.match(container.properties.image?.description ?? '', /Container image name/);
  assert.deepEqual(container.properties.ports?.items, { $ref: ref('io.k8s.api.core.v1.ContainerPort') });
  const port = definitions['io.k8s.api.core.v1.ContainerPort']?.properties?.containerPort;
  assert.deepEqual({ type: port?.type, format: port?.format }, { type: 'integer', format: 'int32' });
  const spec = definitions['io.k8s.api.apps.v1.DeploymentSpec'];
  assert.equal(spec?.properties?.paused?.type, 'boolean');
  assert.deepEqual(spec?.properties?.selector?.allOf ?? [spec?.properties?.selector], [
    { $ref: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector') },
  ]);
  assert.deepEqual(definitions['io.k8s.api.core.v1.ConfigMap']?.properties?.data?.additionalProperties, { type: 'string' });
});

test('special types: IntOrString, Quantity, Time, RawExtension', () => {
  const { definitions } = builtinCatalog();
  assert.equal(definitions[INT_OR_STRING]?.['x-kubernetes-int-or-string'], true);
  assert.equal(definitions[QUANTITY]?.['x-kubernetes-int-or-string'], true);
  assert.equal(definitions[TIME]?.format, 'date-time');
  const ru = definitions['io.k8s.api.apps.v1.RollingUpdateDeployment']?.properties;
  assert.equal(ru?.maxSurge?.allOf?.[0]?.$ref ?? ru?.maxSurge?.$ref, ref(INT_OR_STRING));
  const limits = definitions['io.k8s.api.core.v1.ResourceRequirements']?.properties?.limits;
  assert.deepEqual(limits?.additionalProperties, { $ref: ref(QUANTITY) });
  const created = definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.properties?.creationTimestamp;
  assert.deepEqual(created?.allOf, [{ $ref: ref(TIME) }]);
  assert.ok(created?.description);
  const data = definitions['io.k8s.api.apps.v1.ControllerRevision']?.properties?.data;
  assert.equal(data?.['x-kubernetes-preserve-unknown-fields'], true);
});

test('applyFieldExtensions adds strategic-merge metadata without touching the catalog', () => {
  const { definitions } = builtinCatalog();
  const out = applyFieldExtensions(definitions, (d, f) =>
    d === 'io.k8s.api.core.v1.PodSpec' && f === 'containers'
      ? { mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name'] }
      : undefined,
  );
  const containers = out['io.k8s.api.core.v1.PodSpec']?.properties?.containers;
  assert.equal(containers?.['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers?.['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers?.['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers?.['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(definitions['io.k8s.api.core.v1.PodSpec']?.properties?.containers?.['x-kubernetes-patch-merge-key'], undefined);
  assert.equal(out['io.k8s.api.core.v1.Pod'], definitions['io.k8s.api.core.v1.Pod']);
});

test('referencedDefinitions follows refs transitively', () => {
  const names = referencedDefinitions(builtinCatalog().definitions, ['io.k8s.api.apps.v1.Deployment']);
  for (const n of ['io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', INT_OR_STRING, TIME]) {
    assert.ok(names.has(n), n);
  }
  assert.ok(!names.has('io.k8s.api.core.v1.Node'));
});
