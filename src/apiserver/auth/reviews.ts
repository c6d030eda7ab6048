// Builders for the review APIs kubectl uses: SelfSubjectReview (`auth whoami`)
// and Self/SubjectAccessReview (`auth can-i`).
import type { AuthorizationAttributes, Authorizer, RuleResolver } from './authorizer.js';
import type { UserInfo } from './types.js';

/** A review request that fails validation; the server answers 422 Invalid. */
export class ReviewValidationError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: Invalid value: ${detail}`);
    this.name = 'ReviewValidationError';
  }
}

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface SelfSubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

export interface SubjectAccessReviewSpec extends SelfSubjectAccessReviewSpec {
  user?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

const AUTHN_V1 = 'authentication.k8s.io/v1';
const AUTHZ_V1 = 'authorization.k8s.io/v1';

/** `auth whoami`: kubectl 1.28+ asks v1, older ones v1beta1/v1alpha1; echo what was asked. */
export function selfSubjectReview(user: UserInfo, apiVersion: string = AUTHN_V1) {
  const userInfo: UserInfo = { username: user.username, groups: [...user.groups] };
  if (user.uid) userInfo.uid = user.uid;
  if (user.extra && Object.keys(user.extra).length > 0) userInfo.extra = user.extra;
  return { kind: 'SelfSubjectReview', apiVersion, metadata: { creationTimestamp: null }, status: { userInfo } };
}

/** The authorizer's view of a review spec; exactly one attribute kind must be set. */
export function attributesFromSpec(spec: SelfSubjectAccessReviewSpec): AuthorizationAttributes {
  const res = spec.resourceAttributes;
  const nonRes = spec.nonResourceAttributes;
  if ((res === undefined) === (nonRes === undefined)) {
    throw new ReviewValidationError(
      'spec.resourceAttributes',
      'exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  if (res) {
    const attrs: AuthorizationAttributes = {
      verb: res.verb ?? '',
      apiGroup: res.group ?? '',
      resource: res.resource ?? '',
      resourceRequest: true,
    };
    if (res.subresource) attrs.subresource = res.subresource;
    if (res.namespace) attrs.namespace = res.namespace;
    if (res.name) attrs.name = res.name;
    return attrs;
  }
  return { verb: nonRes?.verb ?? '', apiGroup: '', resource: '', path: nonRes?.path ?? '', resourceRequest: false };
}

async function decide(authorizer: Authorizer, user: UserInfo, spec: SelfSubjectAccessReviewSpec) {
  const result = await authorizer.authorize(user, attributesFromSpec(spec));
  const status: SubjectAccessReviewStatus = { allowed: result.decision === 'allow' };
  if (result.decision === 'deny') status.denied = true;
  if (result.reason) status.reason = result.reason;
  return status;
}

/** `auth can-i`: the review answered for the requesting user. */
export async function selfSubjectAccessReview(authorizer: Authorizer, user: UserInfo, spec: SelfSubjectAccessReviewSpec) {
  const status = await decide(authorizer, user, spec);
  return { kind: 'SelfSubjectAccessReview', apiVersion: AUTHZ_V1, metadata: { creationTimestamp: null }, spec, status };
}

/** The review answered for the user named in the spec (used by `auth can-i --as` and webhooks). */
export async function subjectAccessReview(authorizer: Authorizer, spec: SubjectAccessReviewSpec) {
  if (!spec.user && !spec.groups?.length) {
    throw new ReviewValidationError('spec.user', 'at least one of user or group must be specified');
  }
  const user: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = spec.extra;
  const status = await decide(authorizer, user, spec);
  return { kind: 'SubjectAccessReview', apiVersion: AUTHZ_V1, metadata: { creationTimestamp: null }, spec, status };
}

/** A namespaced SubjectAccessReview (LocalSubjectAccessReview) must name its own namespace. */
export async function localSubjectAccessReview(authorizer: Authorizer, namespace: string, spec: SubjectAccessReviewSpec) {
  if (spec.resourceAttributes?.namespace !== namespace) {
    throw new ReviewValidationError('spec.resourceAttributes.namespace', 'must match metadata.namespace');
  }
  const review = await subjectAccessReview(authorizer, spec);
  return { ...review, kind: 'LocalSubjectAccessReview', metadata: { namespace, creationTimestamp: null } };
}

/** `auth can-i --list`: the rules the requesting user has in spec.namespace. */
export async function selfSubjectRulesReview(resolver: RuleResolver, user: UserInfo, spec: { namespace?: string }) {
  const status = await resolver.rulesFor(user, spec.namespace ?? '');
  return { kind: 'SelfSubjectRulesReview', apiVersion: AUTHZ_V1, metadata: { creationTimestamp: null }, spec, status };
}
