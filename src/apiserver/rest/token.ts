// serviceaccounts/token: TokenRequest → a signed, bound service-account token.
import type { ServerResponse } from 'node:http';
import { issueServiceAccountToken } from '../auth/index.js';
import type { Pki } from '../pki/index.js';
import { decodeBody } from '../codec.js';
import { send } from '../respond.js';
import { badRequest, invalid } from '../status.js';
import type { RequestContext } from './context.js';
import { getObject, isObject, rfc3339 } from './objects.js';

const MIN_EXPIRATION_SECONDS = 600;

export function tokenHandler(pki: Pki) {
  return async (ctx: RequestContext, res: ServerResponse): Promise<void> => {
    if (ctx.info.verb !== 'create') throw badRequest('token only supports create');
    const body = decodeBody(ctx.headers['content-type'], ctx.body!);
    if (!isObject(body)) throw badRequest('TokenRequest must be an object');
    const spec = (isObject(body.spec) ? body.spec : {}) as { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; name?: string; uid?: string } };
    const expirationSeconds = spec.expirationSeconds ?? 3600;
    if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
      throw invalid('TokenRequest', 'authentication.k8s.io', ctx.info.name, [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes` }]);
    }
    const { namespace, name } = ctx.info;
    const sa = await getObject(ctx.core, ctx.resource, namespace, name);
    let boundObject: { kind: 'Pod' | 'Secret'; name: string; uid: string } | undefined;
    const ref = spec.boundObjectRef;
    if (ref?.kind) {
      if (ref.kind !== 'Pod' && ref.kind !== 'Secret') {
        throw invalid('TokenRequest', 'authentication.k8s.io', name, [{ reason: 'FieldValueNotSupported', field: 'spec.boundObjectRef.kind', message: `Unsupported value: "${ref.kind}": supported values: "Pod", "Secret"` }]);
      }
      const resource = ctx.core.registry.resolve('', 'v1', ref.kind === 'Pod' ? 'pods' : 'secrets')!.info;
      const bound = await getObject(ctx.core, resource, namespace, ref.name ?? '');
      if (ref.uid && ref.uid !== bound.metadata.uid) throw badRequest(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      boundObject = { kind: ref.kind, name: bound.metadata.name!, uid: bound.metadata.uid! };
    }
    const now = new Date(ctx.core.clock.now());
    const { token, expirationTimestamp } = await issueServiceAccountToken(pki, {
      namespace,
      serviceAccountName: name,
      serviceAccountUid: sa.metadata.uid!,
      audiences: spec.audiences?.length ? spec.audiences : undefined,
      expirationSeconds,
      boundObject,
      now,
    });
    send(res, 201, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: { ...spec, expirationSeconds },
      status: { token, expirationTimestamp: rfc3339(expirationTimestamp.getTime()) },
    }, ctx.format);
  };
}
