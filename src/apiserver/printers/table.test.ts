import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPrinter } from './default-printer.js';
import { buildTable, hasPrinter, printerFor } from './index.js';
import { NOW, meta, units } from './testutil.js';

const { m } = units;

const cm = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(name, m, { labels: { a: 'b' }, managedFields: [{ manager: 'kubectl' }] }),
  data: { k: 'v' },
});

test('buildTable: Table shape with PartialObjectMetadata rows by default', () => {
  const t = buildTable(printerFor('', 'configmaps'), [cm('one'), cm('two')], {
    now: NOW,
    includeObject: 'Metadata',
    resourceVersion: '42',
    continue: 'tok',
    remainingItemCount: 3,
  });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  assert.deepEqual(
    t.columnDefinitions.map((c) => c.name),
    ['Name', 'Data', 'Age'],
  );
  assert.deepEqual(Object.keys(t.columnDefinitions[0]).sort(), ['description', 'format', 'name', 'priority', 'type']);
  assert.deepEqual(t.rows[0], {
    cells: ['one', 1, '60s'],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm('one').metadata },
  });
  assert.equal(t.rows.length, 2);
  // Round-trips through JSON unchanged (what the server writes).
  assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
});

test('buildTable: includeObject Object and None, v1beta1, empty metadata', () => {
  const full = buildTable(printerFor('', 'configmaps'), [cm('one')], { now: NOW, includeObject: 'Object', version: 'v1beta1' });
  assert.equal(full.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(full.metadata, {});
  assert.deepEqual(full.rows[0].object, cm('one'));
  const none = buildTable(printerFor('', 'configmaps'), [cm('one')], { now: NOW, includeObject: 'None' });
  assert.equal('object' in none.rows[0], false);
  const empty = buildTable(printerFor('', 'configmaps'), [], { now: NOW, includeObject: 'Metadata', resourceVersion: '9' });
  assert.deepEqual(empty.rows, []);
  assert.equal(empty.columnDefinitions.length, 3);
});

test('buildTable carries pod row conditions', () => {
  const pod = { metadata: meta('job-pod', m), spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } };
  const t = buildTable(printerFor('', 'pods'), [pod], { now: NOW, includeObject: 'Metadata' });
  assert.equal(t.rows[0].conditions?.[0].type, 'Completed');
});

test('printerFor: dedicated printers per group, default NAME / CREATED AT otherwise', () => {
  assert.deepEqual(printerFor('apps', 'deployments').columns.map((c) => c.name).slice(0, 5), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
  assert.equal(printerFor('', 'deployments'), defaultPrinter);
  for (const [g, r] of [
    ['rbac.authorization.k8s.io', 'roles'],
    ['rbac.authorization.k8s.io', 'clusterroles'],
    ['', 'limitranges'],
    ['apiextensions.k8s.io', 'customresourcedefinitions'],
  ]) {
    assert.equal(hasPrinter(g, r), false, `${g}/${r}`);
    assert.equal(printerFor(g, r), defaultPrinter);
  }
  const expected: [string, string][] = [
    ['', 'pods'],
    ['', 'podtemplates'],
    ['', 'replicationcontrollers'],
    ['', 'services'],
    ['', 'endpoints'],
    ['', 'namespaces'],
    ['', 'nodes'],
    ['', 'events'],
    ['', 'configmaps'],
    ['', 'secrets'],
    ['', 'serviceaccounts'],
    ['', 'persistentvolumes'],
    ['', 'persistentvolumeclaims'],
    ['', 'resourcequotas'],
    ['apps', 'replicasets'],
    ['apps', 'statefulsets'],
    ['apps', 'daemonsets'],
    ['apps', 'controllerrevisions'],
    ['batch', 'jobs'],
    ['batch', 'cronjobs'],
    ['discovery.k8s.io', 'endpointslices'],
    ['networking.k8s.io', 'ingresses'],
    ['networking.k8s.io', 'ingressclasses'],
    ['networking.k8s.io', 'networkpolicies'],
    ['events.k8s.io', 'events'],
    ['coordination.k8s.io', 'leases'],
    ['rbac.authorization.k8s.io', 'rolebindings'],
    ['rbac.authorization.k8s.io', 'clusterrolebindings'],
    ['policy', 'poddisruptionbudgets'],
    ['autoscaling', 'horizontalpodautoscalers'],
    ['storage.k8s.io', 'storageclasses'],
    ['scheduling.k8s.io', 'priorityclasses'],
    ['certificates.k8s.io', 'certificatesigningrequests'],
    ['apiregistration.k8s.io', 'apiservices'],
  ];
  for (const [g, r] of expected) assert.equal(hasPrinter(g, r), true, `${g}/${r}`);
});

test('default printer: NAME and CREATED AT as RFC 3339 UTC', () => {
  assert.deepEqual(defaultPrinter.columns.map((c) => [c.name, c.type, c.format]), [
    ['Name', 'string', 'name'],
    ['Created At', 'date', ''],
  ]);
  assert.deepEqual(defaultPrinter.cells({ metadata: { name: 'view', creationTimestamp: '2024-05-01T08:30:00+02:00' } }, NOW), ['view', '2024-05-01T06:30:00Z']);
  assert.deepEqual(defaultPrinter.cells({ metadata: { name: 'x' } }, NOW), ['x', '0001-01-01T00:00:00Z']);
});
