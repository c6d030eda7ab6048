import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASIC_USER_RULES, defaultAuthorizer, UnionAuthorizer, type Authorizer } from './authorizer.js';
import {
  localSubjectAccessReview,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from './reviews.js';
import type { UserInfo } from './types.js';

const admin: UserInfo = { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] };
const alice: UserInfo = { username: 'alice', uid: 'u1', groups: ['dev', 'system:authenticated'], extra: { scope: ['x'] } };
const podsGet = { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } };

describe('default authorizer', () => {
  const authz = defaultAuthorizer();

  it('allows system:masters everything and has no opinion on others', async () => {
    const attrs = { verb: 'delete', apiGroup: 'apps', resource: 'deployments', namespace: 'x', resourceRequest: true };
    assert.equal((await authz.authorize(admin, attrs)).decision, 'allow');
    assert.equal((await authz.authorize(alice, attrs)).decision, 'noopinion');
    assert.equal((await authz.authorize(admin, { verb: 'get', apiGroup: '', resource: '', path: '/healthz', resourceRequest: false })).decision, 'allow');
  });

  it('lets the first authorizer with an opinion decide in a union', async () => {
    const denyAlice: Authorizer = {
      authorize: async (u) => (u.username === 'alice' ? { decision: 'deny', reason: 'no alice' } : { decision: 'noopinion', reason: 'dunno' }),
    };
    const union = new UnionAuthorizer([denyAlice, authz]);
    const attrs = { verb: 'get', apiGroup: '', resource: 'pods', resourceRequest: true };
    assert.deepEqual(await union.authorize(alice, attrs), { decision: 'deny', reason: 'no alice' });
    assert.equal((await union.authorize(admin, attrs)).decision, 'allow');
    assert.deepEqual(await union.authorize({ username: 'bob', groups: [] }, attrs), { decision: 'noopinion', reason: 'dunno' });
  });
});

describe('review builders', () => {
  const authz = defaultAuthorizer();

  it('SelfSubjectReview carries the user info in the requested version', () => {
    assert.deepEqual(selfSubjectReview(alice), {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'alice', uid: 'u1', groups: ['dev', 'system:authenticated'], extra: { scope: ['x'] } } },
    });
    assert.equal(selfSubjectReview(admin, 'authentication.k8s.io/v1beta1').apiVersion, 'authentication.k8s.io/v1beta1');
    assert.deepEqual(selfSubjectReview(admin).status.userInfo, { username: 'system:admin', groups: admin.groups });
  });

  it('SelfSubjectAccessReview answers allowed for masters and not for others', async () => {
    const yes = await selfSubjectAccessReview(authz, admin, podsGet);
    assert.equal(yes.kind, 'SelfSubjectAccessReview');
    assert.equal(yes.apiVersion, 'authorization.k8s.io/v1');
    assert.deepEqual(yes.spec, podsGet);
    assert.deepEqual(yes.status, { allowed: true });
    assert.deepEqual((await selfSubjectAccessReview(authz, alice, podsGet)).status, { allowed: false });
    const nonResource = { nonResourceAttributes: { path: '/metrics', verb: 'get' } };
    assert.deepEqual((await selfSubjectAccessReview(authz, admin, nonResource)).status, { allowed: true });
  });

  it('reports denied and the reason from the authorizer', async () => {
    const denier: Authorizer = { authorize: async () => ({ decision: 'deny', reason: 'forbidden by policy' }) };
    assert.deepEqual((await selfSubjectAccessReview(denier, admin, podsGet)).status, {
      allowed: false,
      denied: true,
      reason: 'forbidden by policy',
    });
  });

  it('passes the resource attributes through to the authorizer', async () => {
    let seen: unknown;
    const spy: Authorizer = { authorize: async (_u, a) => ((seen = a), { decision: 'noopinion', reason: '' }) };
    await selfSubjectAccessReview(spy, alice, {
      resourceAttributes: { namespace: 'n', verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' },
    });
    assert.deepEqual(seen, { verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'n', name: 'web', resourceRequest: true });
  });

  it('rejects specs with neither or both attribute kinds', async () => {
    await assert.rejects(selfSubjectAccessReview(authz, admin, {}), { name: 'ReviewValidationError' });
    await assert.rejects(
      selfSubjectAccessReview(authz, admin, { ...podsGet, nonResourceAttributes: { path: '/', verb: 'get' } }),
      { name: 'ReviewValidationError' },
    );
  });

  it('SubjectAccessReview evaluates the user in the spec', async () => {
    const r = await subjectAccessReview(authz, { user: 'x', groups: ['system:masters'], ...podsGet });
    assert.equal(r.kind, 'SubjectAccessReview');
    assert.equal(r.status.allowed, true);
    assert.equal((await subjectAccessReview(authz, { user: 'x', ...podsGet })).status.allowed, false);
    await assert.rejects(subjectAccessReview(authz, { ...podsGet }), { name: 'ReviewValidationError' });
  });

  it('LocalSubjectAccessReview must match its namespace', async () => {
    const r = await localSubjectAccessReview(authz, 'default', { user: 'x', groups: ['system:masters'], ...podsGet });
    assert.equal(r.kind, 'LocalSubjectAccessReview');
    assert.deepEqual(r.metadata, { namespace: 'default', creationTimestamp: null });
    await assert.rejects(localSubjectAccessReview(authz, 'other', { user: 'x', ...podsGet }), { name: 'ReviewValidationError' });
  });

  it('SelfSubjectRulesReview lists wildcard rules for masters and the basic-user rules for everyone', async () => {
    const r = await selfSubjectRulesReview(authz, admin, { namespace: 'default' });
    assert.deepEqual(r.status.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, ...BASIC_USER_RULES.resourceRules]);
    assert.deepEqual((await selfSubjectRulesReview(authz, alice, { namespace: 'default' })).status, BASIC_USER_RULES);
  });

  it('lets every authenticated user read discovery and ask about itself, and nothing more', async () => {
    const allowed = async (attrs: Parameters<typeof authz.authorize>[1]) => (await authz.authorize(alice, attrs)).decision;
    assert.equal(await allowed({ verb: 'get', apiGroup: '', resource: '', path: '/apis/apps/v1', resourceRequest: false }), 'allow');
    assert.equal(await allowed({ verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'selfsubjectreviews', resourceRequest: true }), 'allow');
    assert.equal(await allowed({ verb: 'get', apiGroup: '', resource: 'pods', namespace: 'default', resourceRequest: true }), 'noopinion');
    assert.equal(await allowed({ verb: 'get', apiGroup: '', resource: '', path: '/metrics', resourceRequest: false }), 'noopinion');
    assert.equal(await allowed({ verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'subjectaccessreviews', resourceRequest: true }), 'noopinion');
  });
});
