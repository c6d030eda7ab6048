// The request pipeline: authenticate, route, authorize, dispatch.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authRequestFrom, type Authenticator, type Authorizer, type RuleResolver, type UserInfo } from './auth/index.js';
import { negotiate, readBody } from './codec.js';
import type { Core } from './core.js';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  resourceList,
  wantsAggregated,
} from './discovery.js';
import type { Metrics } from './metrics.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { send, sendError } from './respond.js';
import type { RequestContext } from './rest/context.js';
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  handleWatch,
} from './rest/handlers.js';
import { handleReview } from './rest/reviews.js';
import { handleScale } from './rest/scale.js';
import { badRequest, forbidden, methodNotAllowed, pathNotFound, unauthorized, type ApiError } from './status.js';
import type { Logger } from '../util/log.js';

export const VERSION_INFO = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0+kubets',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: `kubets (node ${process.version})`,
  compiler: 'kubets',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export interface HttpDeps {
  core: Core;
  authenticator: Authenticator;
  authorizer: Authorizer & RuleResolver;
  metrics: Metrics;
  logger: Logger;
  isReady(): boolean;
  /** The cluster CA, served unauthenticated at /cacerts so agents can check it against their join token's hash (as k3s does). */
  caPem?: string;
  /** Extra non-resource routes (OpenAPI), answered before the resource routes. */
  extraRoutes?: (path: string, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz']);

function verbAction(info: RequestInfo): string {
  return info.verb;
}

export function forbiddenError(user: string, info: RequestInfo): ApiError {
  const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const where = info.namespace && info.resource !== 'namespaces' ? ` in the namespace "${info.namespace}"` : '';
  const scope = info.isResourceRequest ? `resource "${res}" in API group "${info.group}"${where || (info.isResourceRequest ? ' at the cluster scope' : '')}` : `path "${info.path}"`;
  return forbidden(`${info.resource || info.path} is forbidden: User "${user}" cannot ${verbAction(info)} ${scope}`, {
    name: info.name || undefined,
    group: info.group || undefined,
    kind: info.resource || undefined,
  });
}

export function createHandler(deps: HttpDeps) {
  const { core, metrics, logger } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const method = req.method ?? 'GET';
    let info: RequestInfo = parseRequestInfo(method, '/', url.searchParams);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(info.verb.toUpperCase(), info.resource, info.subresource, res.statusCode, seconds);
      // The access log, as upstream's "HTTP" lines at higher verbosity.
      logger.debug('request', { verb: info.verb, uri: req.url, code: res.statusCode, ms: seconds * 1000, userAgent: req.headers['user-agent'] });
    });
    try {
      try {
        info = parseRequestInfo(method, url.pathname, url.searchParams);
      } catch {
        throw badRequest(`malformed request path ${JSON.stringify(url.pathname)}`);
      }
      if (PUBLIC_PATHS.has(url.pathname)) return health(url.pathname, deps, res);
      if (url.pathname === '/cacerts' && deps.caPem) {
        res.writeHead(200, { 'Content-Type': 'application/x-pem-file' });
        res.end(deps.caPem);
        return;
      }
      const user = await authenticate(deps.authenticator, req);
      if (!user) throw unauthorized();
      const decision = await deps.authorizer.authorize(user, {
        verb: info.verb,
        apiGroup: info.group,
        resource: info.resource,
        subresource: info.subresource || undefined,
        namespace: info.namespace || undefined,
        name: info.name || undefined,
        path: url.pathname,
        resourceRequest: info.isResourceRequest,
      });
      if (decision.decision !== 'allow') throw forbiddenError(user.username, info);
      if (!info.isResourceRequest) return await nonResource(url, req, res, deps);

      const resolved = core.registry.resolve(info.group, info.version, info.resource);
      if (!resolved) throw pathNotFound();
      const r = resolved.info;
      if (!r.namespaced && info.namespace && r.resource !== 'namespaces') throw pathNotFound();
      const sub = info.subresource;
      if (sub && !r.subresources.some((s) => s.name === sub)) throw pathNotFound();
      const ctx: RequestContext = {
        core,
        info: r.resource === 'namespaces' ? { ...info, namespace: '' } : info,
        resource: r,
        stored: r.conversion ? core.registry.resolve(r.conversion.storedAs.group, 'v1', r.conversion.storedAs.resource)!.info : r,
        version: resolved.version,
        query: url.searchParams,
        headers: req.headers,
        user,
        format: negotiate(req.headers.accept),
        warnings: [],
      };
      if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) ctx.body = await readBody(req);
      if (r.virtual) return await handleReview(ctx, res, { authorizer: deps.authorizer, rules: deps.authorizer, authenticator: deps.authenticator });
      await dispatch(ctx, res);
    } catch (err) {
      const e = err as ApiError;
      if (!(typeof e.code === 'number')) logger.error('request failed', { method, path: url.pathname, err });
      sendError(res, err);
    }
  };
}

async function dispatch(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const { info } = ctx;
  const watchParam = ['1', 'true'].includes(ctx.query.get('watch') ?? '');
  switch (info.subresource) {
    case '':
      switch (info.verb) {
        case 'get':
          return watchParam ? handleWatch(ctx, res) : handleGet(ctx, res);
        case 'list':
          return handleList(ctx, res);
        case 'watch':
          return handleWatch(ctx, res);
        case 'create':
          return handleCreate(ctx, res);
        case 'update':
          return handleUpdate(ctx, res);
        case 'patch':
          return handlePatch(ctx, res);
        case 'delete':
          return handleDelete(ctx, res);
        case 'deletecollection':
          return handleDeleteCollection(ctx, res);
      }
      throw methodNotAllowed();
    case 'status':
      if (info.verb === 'get') return handleGet(ctx, res);
      if (info.verb === 'update') return handleUpdate(ctx, res, true);
      if (info.verb === 'patch') return handlePatch(ctx, res, true);
      throw methodNotAllowed();
    case 'scale':
      return handleScale(ctx, res);
    default: {
      const handler = ctx.core.subresourceHandlers.get(`${ctx.resource.group}/${ctx.resource.resource}/${info.subresource}`);
      if (!handler) throw methodNotAllowed();
      return handler(ctx, res);
    }
  }
}

/**
 * A client certificate is verified once per TLS connection, not per request:
 * requests without an Authorization header reuse the connection's user.
 */
const connectionUsers = new WeakMap<object, UserInfo>();

export async function authenticate(authenticator: Authenticator, req: IncomingMessage): Promise<UserInfo | null> {
  const bearer = req.headers.authorization !== undefined;
  if (!bearer) {
    const cached = connectionUsers.get(req.socket);
    if (cached) return cached;
  }
  const user = await authenticator.authenticate(authRequestFrom(req));
  if (user && !bearer && (req.socket as { authorized?: boolean }).authorized) connectionUsers.set(req.socket, user);
  return user;
}

function health(path: string, deps: HttpDeps, res: ServerResponse): void {
  const ready = path !== '/readyz' || deps.isReady();
  res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(ready ? 'ok' : '[-]informer-sync failed: not ready\nreadyz check failed');
}

async function nonResource(url: URL, req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const registry = deps.core.registry;
  const accept = req.headers.accept;
  if (path === '/version') return send(res, 200, VERSION_INFO);
  if (path === '/metrics') {
    res.writeHead(200, { 'Content-Type': deps.metrics.contentType });
    res.end(await deps.metrics.render());
    return;
  }
  if (path === '/api' || path === '/apis') {
    const agg = wantsAggregated(accept);
    if (agg) {
      res.writeHead(200, { 'Content-Type': agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1, Vary: 'Accept' });
      res.end(JSON.stringify(aggregatedDiscovery(registry, path === '/api', agg)));
      return;
    }
    return send(res, 200, path === '/api' ? legacyApiVersions() : legacyGroupList(registry));
  }
  const segs = path.split('/').filter(Boolean);
  if (segs[0] === 'apis' && segs.length === 2) {
    const g = legacyGroup(registry, segs[1]!);
    if (g) return send(res, 200, g);
  }
  if ((segs[0] === 'api' && segs.length === 2) || (segs[0] === 'apis' && segs.length === 3)) {
    const list = segs[0] === 'api' ? resourceList(registry, '', segs[1]!) : resourceList(registry, segs[1]!, segs[2]!);
    if (list) return send(res, 200, list);
  }
  if (deps.extraRoutes && (await deps.extraRoutes(path, req, res))) return;
  if (path === '/') {
    return send(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
  }
  throw pathNotFound();
}
