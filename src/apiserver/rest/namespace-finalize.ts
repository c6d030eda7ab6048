// PUT /api/v1/namespaces/<name>/finalize: the one way to change a namespace's
// spec.finalizers (the namespace controller removes "kubernetes" here once the
// namespace is empty). A terminating namespace left with no finalizers of
// either kind is deleted by updateObject.
import type { ServerResponse } from 'node:http';
import { decodeBody } from '../codec.js';
import { badRequest, methodNotAllowed } from '../status.js';
import type { RequestContext } from './context.js';
import { sendObject } from './handlers.js';
import { isObject, updateObject } from './objects.js';

export async function handleNamespaceFinalize(ctx: RequestContext, res: ServerResponse): Promise<void> {
  if (ctx.info.verb !== 'update') throw methodNotAllowed();
  const body = decodeBody(ctx.headers['content-type'], ctx.body!);
  if (!isObject(body)) throw badRequest('the body must be a Namespace');
  const spec = isObject(body.spec) ? body.spec : {};
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
  const meta = isObject(body.metadata) ? body.metadata : {};
  const rv = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined;
  const { object } = await updateObject(ctx.core, ctx.resource, '', ctx.info.name, {
    mutate: (current) => {
      const next = current!;
      const nextSpec = { ...(isObject(next.spec) ? next.spec : {}) } as Record<string, unknown>;
      if (finalizers.length) nextSpec.finalizers = finalizers;
      else delete nextSpec.finalizers;
      next.spec = nextSpec;
      if (rv) next.metadata.resourceVersion = rv;
      else delete next.metadata.resourceVersion;
      return next;
    },
    internal: true,
  }, { user: ctx.user });
  sendObject(ctx, res, 200, object);
}
