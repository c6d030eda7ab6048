// Review resources (whoami, can-i, token reviews): answered, never stored.
import type { ServerResponse } from 'node:http';
import {
  localSubjectAccessReview,
  ReviewValidationError,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
  type Authenticator,
  type Authorizer,
  type RuleResolver,
} from '../auth/index.js';
import { decodeBody } from '../codec.js';
import { gv } from '../registry/resource-info.js';
import { send } from '../respond.js';
import { badRequest, invalid } from '../status.js';
import type { RequestContext } from './context.js';
import { isObject } from './objects.js';

export interface ReviewDeps {
  authorizer: Authorizer;
  rules: RuleResolver;
  authenticator: Authenticator;
}

export async function handleReview(ctx: RequestContext, res: ServerResponse, deps: ReviewDeps): Promise<void> {
  const r = ctx.resource;
  if (ctx.info.verb !== 'create') throw badRequest(`${r.resource} only support create`);
  const body = decodeBody(ctx.headers['content-type'], ctx.body!);
  if (!isObject(body)) throw badRequest('the body must be an object');
  const spec = (isObject(body.spec) ? body.spec : {}) as Record<string, unknown>;
  const apiVersion = gv(r, ctx.version);
  try {
    let status: unknown;
    switch (r.resource) {
      case 'selfsubjectreviews':
        return send(res, 201, selfSubjectReview(ctx.user, apiVersion), ctx.format);
      case 'selfsubjectaccessreviews':
        status = await selfSubjectAccessReview(deps.authorizer, ctx.user, spec);
        break;
      case 'subjectaccessreviews':
        status = await subjectAccessReview(deps.authorizer, spec as never);
        break;
      case 'localsubjectaccessreviews':
        status = await localSubjectAccessReview(deps.authorizer, ctx.info.namespace, spec as never);
        break;
      case 'selfsubjectrulesreviews':
        status = await selfSubjectRulesReview(deps.rules, ctx.user, spec as { namespace?: string });
        break;
      case 'tokenreviews': {
        const token = typeof spec.token === 'string' ? spec.token : '';
        const user = token ? await deps.authenticator.authenticate({ headers: { authorization: `Bearer ${token}` } }) : null;
        status = user ? { authenticated: true, user } : { authenticated: false, error: 'invalid bearer token' };
        break;
      }
      default:
        throw badRequest(`unknown review ${r.resource}`);
    }
    // The builders return either a whole object or just its status.
    const out = isObject(status) && 'kind' in status ? status : { status };
    send(res, 201, { kind: r.kind, apiVersion, metadata: { creationTimestamp: null }, spec, ...(out as object) }, ctx.format);
  } catch (err) {
    if (err instanceof ReviewValidationError) throw invalid(r.kind, r.group, '', [{ reason: 'FieldValueInvalid', message: err.message }]);
    throw err;
  }
}
