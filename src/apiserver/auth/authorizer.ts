// Authorization decisions. Until RBAC exists, system:masters may do
// everything and everyone else gets no opinion (which the server treats as deny).
import { GROUP_MASTERS, type UserInfo } from './types.js';
import { NODE_AGENT_RULES, isNodeAgent } from './node-authorizer.js';

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


/**
 * What every authenticated user may do, as upstream's system:basic-user,
 * system:discovery and system:public-info-viewer roles grant: read discovery,
 * OpenAPI, version and health, and ask about themselves.
 */
export const BASIC_USER_RULES: RuleSet = {
  resourceRules: [
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  ],
  nonResourceRules: [
    { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', '/version', '/version/', '/healthz', '/livez', '/readyz'] },
  ],
  incomplete: false,
};

function pathAllowed(patterns: string[] | undefined, path: string): boolean {
  return (patterns ?? []).some((p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))));
}

function ruleAllows(rules: RuleSet, attrs: AuthorizationAttributes): boolean {
  if (!attrs.resourceRequest) {
    return rules.nonResourceRules.some((r) => r.verbs.includes(attrs.verb) && pathAllowed(r.nonResourceURLs, attrs.path ?? ''));
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return rules.resourceRules.some(
    (r) => r.verbs.includes(attrs.verb) && (r.apiGroups ?? []).includes(attrs.apiGroup) && (r.resources ?? []).includes(resource),
  );
}

/** Grants BASIC_USER_RULES to every authenticated user; no opinion on anything else. */
export class BasicUserAuthorizer implements Authorizer {
  async authorize(_user: UserInfo, attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
    return ruleAllows(BASIC_USER_RULES, attrs) ? { decision: 'allow', reason: 'allowed to every authenticated user' } : { decision: 'noopinion', reason: '' };
  }
}

/** Grants node agents (the join token's group) NODE_AGENT_RULES; no opinion on anybody else. */
export class NodeAgentAuthorizer implements Authorizer {
  async authorize(user: UserInfo, attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
    return isNodeAgent(user) && ruleAllows(NODE_AGENT_RULES, attrs) ? { decision: 'allow', reason: 'allowed to node agents' } : { decision: 'noopinion', reason: '' };
  }
}

/** The server's authorizer until RBAC: masters may do anything, node agents their rules, everyone the basic-user rules. */
export class DefaultAuthorizer implements Authorizer, RuleResolver {
  private readonly chain = new UnionAuthorizer([new MastersAuthorizer(), new NodeAgentAuthorizer(), new BasicUserAuthorizer()]);
  private readonly masters = new MastersAuthorizer();

  authorize(user: UserInfo, attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
    return this.chain.authorize(user, attrs);
  }

  async rulesFor(user: UserInfo): Promise<RuleSet> {
    const own = await this.masters.rulesFor(user);
    const node = isNodeAgent(user) ? NODE_AGENT_RULES.resourceRules : [];
    return {
      resourceRules: [...own.resourceRules, ...node, ...BASIC_USER_RULES.resourceRules],
      nonResourceRules: [...own.nonResourceRules, ...BASIC_USER_RULES.nonResourceRules],
      incomplete: false,
    };
  }
}

export const defaultAuthorizer = (): Authorizer & RuleResolver => new DefaultAuthorizer();
