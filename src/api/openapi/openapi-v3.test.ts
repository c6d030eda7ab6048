import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOpenApiV3, type OpenApiV3Document } from './openapi-v3.js';
import type { ResourceInfo } from './schema-types.js';

const RESOURCES: ResourceInfo[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, subresources: ['status', 'log'] },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, subresources: ['status', 'scale'] },
  {
    group: 'example.com',
    version: 'v1',
    resource: 'widgets',
    kind: 'Widget',
    namespaced: true,
    schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
  },
];

type Op = Record<string, unknown> & { parameters?: Array<{ name: string; in: string }> };
const op = (doc: OpenApiV3Document | undefined, path: string, method: string): Op => {
  const item = doc?.paths[path];
  assert.ok(item, `no path ${path}`);
  const o = item[method] as Op | undefined;
  assert.ok(o, `no ${method} on ${path}`);
  return o;
};

test('root lists one document per group-version with a content hash', () => {
  const { root, documents } = buildOpenApiV3(RESOURCES);
  assert.deepEqual(Object.keys(root.paths).sort(), ['api/v1', 'apis/apps/v1', 'apis/example.com/v1']);
  assert.match(root.paths['api/v1']?.serverRelativeURL ?? '', /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  assert.deepEqual([...documents.keys()].sort(), Object.keys(root.paths).sort());
  const again = buildOpenApiV3(RESOURCES);
  assert.equal(again.root.paths['api/v1']?.serverRelativeURL, root.paths['api/v1']?.serverRelativeURL);
  const fewer = buildOpenApiV3(RESOURCES.filter((r) => r.kind !== 'Namespace'));
  assert.notEqual(fewer.root.paths['api/v1']?.serverRelativeURL, root.paths['api/v1']?.serverRelativeURL);
});

test('PATCH operations carry the GVK object and the fieldValidation parameter kubectl looks for', () => {
  const { documents } = buildOpenApiV3(RESOURCES);
  const doc = documents.get('apis/apps/v1');
  assert.equal(doc?.openapi, '3.0.0');
  const patch = op(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  const names = (patch.parameters ?? []).map((p) => `${p.in}:${p.name}`);
  for (const n of ['query:fieldValidation', 'query:dryRun', 'query:fieldManager', 'query:force']) assert.ok(names.includes(n), n);
  const body = patch.requestBody as { content: Record<string, unknown> };
  assert.ok('application/strategic-merge-patch+json' in body.content);
  const post = op(doc, '/apis/apps/v1/namespaces/{namespace}/deployments', 'post');
  assert.equal(post['x-kubernetes-action'], 'post');
  assert.ok((post.parameters ?? []).some((p) => p.name === 'fieldValidation'));
  assert.equal(op(doc, '/apis/apps/v1/namespaces/{namespace}/deployments', 'get')['x-kubernetes-action'], 'list');
  assert.equal(op(doc, '/apis/apps/v1/namespaces/{namespace}/deployments', 'delete')['x-kubernetes-action'], 'deletecollection');
  assert.equal(op(doc, '/apis/apps/v1/deployments', 'get').operationId, 'listAppsV1DeploymentForAllNamespaces');
  assert.equal(op(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'get').operationId, 'readAppsV1NamespacedDeployment');
  const scale = op(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', 'patch');
  assert.deepEqual(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.ok(doc?.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
});

test('components hold every referenced schema, kinds with a GVK array', () => {
  const { documents } = buildOpenApiV3(RESOURCES);
  const core = documents.get('api/v1');
  const schemas = core?.components.schemas ?? {};
  assert.deepEqual(schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  for (const n of ['io.k8s.api.core.v1.PodList', 'io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status']) {
    assert.ok(schemas[n], n);
  }
  assert.equal(schemas['io.k8s.api.apps.v1.Deployment'], undefined);
  // Every $ref resolves inside the document.
  const text = JSON.stringify(core);
  for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(schemas[m[1] ?? ''], m[1]);
  // Cluster-scoped: no namespace segment.
  op(core, '/api/v1/namespaces/{name}', 'get');
  op(core, '/api/v1/namespaces/{namespace}/pods/{name}/status', 'put');
  assert.equal(core?.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'], undefined);
});

test('resources with their own schema get a named definition and list', () => {
  const { documents } = buildOpenApiV3(RESOURCES);
  const doc = documents.get('apis/example.com/v1');
  const widget = doc?.components.schemas['com.example.v1.Widget'];
  assert.deepEqual(widget?.['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'Widget' }]);
  assert.equal(widget?.properties?.spec?.properties?.size?.type, 'integer');
  assert.deepEqual(widget?.properties?.metadata, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
  assert.ok(doc?.components.schemas['com.example.v1.WidgetList']);
  assert.ok(doc?.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  const patch = op(doc, '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}', 'patch');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'example.com', version: 'v1', kind: 'Widget' });
});

test('field extensions appear in the served schemas', () => {
  const { documents } = buildOpenApiV3(RESOURCES, {
    fieldExtensions: (d, f) => (d === 'io.k8s.api.core.v1.PodSpec' && f === 'volumes' ? { mergeKey: 'name', strategy: 'merge,retainKeys' } : undefined),
  });
  const volumes = documents.get('api/v1')?.components.schemas['io.k8s.api.core.v1.PodSpec']?.properties?.volumes;
  assert.equal(volumes?.['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(volumes?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
});
