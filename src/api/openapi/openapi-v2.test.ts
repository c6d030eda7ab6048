import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOpenApiV2 } from './openapi-v2.js';

test('swagger 2.0 document with definitions and v2 refs', () => {
  const doc = buildOpenApiV2([{ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true }]);
  assert.equal(doc.swagger, '2.0');
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('#/components/schemas/'));
  for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(doc.definitions[m[1] ?? ''], m[1]);
  assert.deepEqual(doc.definitions['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [
    { group: 'apps', version: 'v1', kind: 'Deployment' },
  ]);
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch as Record<string, unknown>;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  const params = patch.parameters as Array<{ name: string; in: string }>;
  assert.ok(params.some((p) => p.in === 'query' && p.name === 'fieldValidation'));
  assert.ok(params.some((p) => p.in === 'body'));
});
