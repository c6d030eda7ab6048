import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseRequestInfo } from './request-info.js';

const parse = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  const i = parseRequestInfo(method, u.pathname, u.searchParams);
  return [i.verb, i.group, i.version, i.namespace, i.resource, i.name, i.subresource].join('|');
};

it('parses resource paths as upstream does', () => {
  assert.equal(parse('GET', '/api/v1/pods'), 'list||v1||pods||');
  assert.equal(parse('GET', '/api/v1/pods?watch=true'), 'watch||v1||pods||');
  assert.equal(parse('GET', '/api/v1/namespaces/ns1/pods/p'), 'get||v1|ns1|pods|p|');
  assert.equal(parse('GET', '/api/v1/namespaces/ns1/pods/p/log'), 'get||v1|ns1|pods|p|log');
  assert.equal(parse('GET', '/api/v1/namespaces/ns1'), 'get||v1|ns1|namespaces|ns1|');
  assert.equal(parse('PUT', '/api/v1/namespaces/ns1/status'), 'update||v1|ns1|namespaces|ns1|status');
  assert.equal(parse('PUT', '/api/v1/namespaces/ns1/finalize'), 'update||v1|ns1|namespaces|ns1|finalize');
  assert.equal(parse('GET', '/api/v1/namespaces'), 'list||v1||namespaces||');
  assert.equal(parse('POST', '/apis/apps/v1/namespaces/d/deployments'), 'create|apps|v1|d|deployments||');
  assert.equal(parse('PATCH', '/apis/apps/v1/namespaces/d/deployments/web/scale'), 'patch|apps|v1|d|deployments|web|scale');
  assert.equal(parse('DELETE', '/api/v1/namespaces/d/configmaps'), 'deletecollection||v1|d|configmaps||');
  assert.equal(parse('GET', '/api/v1/watch/namespaces/d/pods'), 'watch||v1|d|pods||');
  assert.equal(parse('GET', '/api/v1/nodes/n1'), 'get||v1||nodes|n1|');
  const disco = parseRequestInfo('GET', '/apis/apps', new URLSearchParams());
  assert.equal(disco.isResourceRequest, false);
  assert.equal(parseRequestInfo('GET', '/apis/apps/v1', new URLSearchParams()).isResourceRequest, false);
});
