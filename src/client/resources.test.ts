import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVersionOf, RESOURCES, resourceKey, resourcePath } from './resources.js';

describe('resource descriptors', () => {
  it('builds core, group, namespaced, cluster-wide and subresource paths', () => {
    assert.equal(resourcePath(RESOURCES.pods, 'ns1'), '/api/v1/namespaces/ns1/pods');
    assert.equal(resourcePath(RESOURCES.pods), '/api/v1/pods');
    assert.equal(resourcePath(RESOURCES.pods, 'ns1', 'p', 'binding'), '/api/v1/namespaces/ns1/pods/p/binding');
    assert.equal(resourcePath(RESOURCES.deployments, 'd', 'web', 'scale'), '/apis/apps/v1/namespaces/d/deployments/web/scale');
    assert.equal(resourcePath(RESOURCES.nodes, 'ignored', 'n1'), '/api/v1/nodes/n1');
  });

  it('names apiVersions and keys', () => {
    assert.equal(apiVersionOf(RESOURCES.pods), 'v1');
    assert.equal(apiVersionOf(RESOURCES.leases), 'coordination.k8s.io/v1');
    assert.equal(resourceKey(RESOURCES.jobs), 'batch/v1/jobs');
  });
});
