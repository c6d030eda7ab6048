// Authorization decisions. Until RBAC exists, system:masters may do
// everything and everyone else gets no opinion (which the server treats as deny).
import { GROUP_MASTERS, type UserInfo } from './types.js';

export interface AuthorizationAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The request path, for non-resource requests such as /healthz. */
  path?: string;
  resourceRequest: boolean;
}

export type Decision = 'allow' | 'deny' | 'noopinion';

export interface AuthorizationResult {
  decision: Decision;
  reason: string;
}

export interface Authorizer {
  authorize(user: UserInfo, attrs: AuthorizationAttributes): Promise<AuthorizationResult>;
}

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface RuleSet {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** True when the list may be missing rules (e.g. an authorizer that cannot enumerate them). */
  incomplete: boolean;
}

/** Lists what a user may do in a namespace (SelfSubjectRulesReview, `kubectl auth can-i --list`). */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<RuleSet>;
}

/** Lets system:masters do anything; has no opinion about anybody else. */
export class MastersAuthorizer implements Authorizer, RuleResolver {
  async rulesFor(user: UserInfo): Promise<RuleSet> {
    if (!user.groups.includes(GROUP_MASTERS)) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }

  async authorize(user: UserInfo): Promise<AuthorizationResult> {
    if (user.groups.includes(GROUP_MASTERS)) return { decision: 'allow', reason: '' };
    return { decision: 'noopinion', reason: '' };
  }
}

/** Asks each authorizer in turn; the first allow or deny decides. */
export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: Authorizer[]) {}

  async authorize(user: UserInfo, attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
    const reasons: string[] = [];
    for (const a of this.authorizers) {
      const r = await a.authorize(user, attrs);
      if (r.decision !== 'noopinion') return r;
      if (r.reason) reasons.push(r.reason);
    }
    return { decision: 'noopinion', reason: reasons.join('\n') };
  }
}

export const defaultAuthorizer = (): Authorizer & RuleResolver => new MastersAuthorizer();
