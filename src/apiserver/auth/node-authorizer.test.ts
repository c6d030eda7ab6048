import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefaultAuthorizer, type AuthorizationAttributes } from './authorizer.js';
import { NODE_TOKEN_GROUP } from './bootstrap-token.js';
import { GROUP_AUTHENTICATED } from './types.js';

const agent = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', NODE_TOKEN_GROUP, GROUP_AUTHENTICATED] };
const stranger = { username: 'alice', groups: [GROUP_AUTHENTICATED] };
const attrs = (verb: string, apiGroup: string, resource: string, subresource?: string): AuthorizationAttributes => ({ verb, apiGroup, resource, subresource, resourceRequest: true });

test('node agents may write their pods status, nodes and leases, and read what pods reference', async () => {
  const a = new DefaultAuthorizer();
  for (const at of [attrs('patch', '', 'pods', 'status'), attrs('create', '', 'nodes'), attrs('update', 'coordination.k8s.io', 'leases'), attrs('get', '', 'secrets'), attrs('create', '', 'serviceaccounts', 'token'), attrs('watch', 'discovery.k8s.io', 'endpointslices')]) {
    assert.equal((await a.authorize(agent, at)).decision, 'allow', JSON.stringify(at));
    assert.notEqual((await a.authorize(stranger, at)).decision, 'allow', JSON.stringify(at));
  }
});

test('node agents may not write workloads, secrets or RBAC', async () => {
  const a = new DefaultAuthorizer();
  for (const at of [attrs('create', 'apps', 'deployments'), attrs('create', '', 'secrets'), attrs('update', '', 'pods'), attrs('create', 'rbac.authorization.k8s.io', 'clusterrolebindings'), attrs('create', '', 'pods', 'exec')]) {
    assert.notEqual((await a.authorize(agent, at)).decision, 'allow', JSON.stringify(at));
  }
});

test('can-i --list shows a node agent its rules', async () => {
  const rules = await new DefaultAuthorizer().rulesFor(agent);
  assert.ok(rules.resourceRules.some((r) => r.resources?.includes('pods/status')));
  const none = await new DefaultAuthorizer().rulesFor(stranger);
  assert.ok(!none.resourceRules.some((r) => r.resources?.includes('pods/status')));
});
