// Bound service-account tokens: ES256 JWTs with upstream's claim layout,
// signed with the cluster's service-account key, and their authenticator.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import type { ServiceAccountKey } from '../pki/pki.js';
import { bearerToken } from './bearer.js';
import type { ObjectLike, SecretLike } from './secret-types.js';
import { GROUP_SERVICE_ACCOUNTS, withAuthenticatedGroup, type AuthRequest, type Authenticator, type UserInfo } from './types.js';

/** Issuer (and, as upstream defaults --api-audiences to the issuer, the default audience). */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const SA_SIGNING_ALG = 'ES256';
const SA_PREFIX = 'system:serviceaccount:';
/** Objects deleted longer ago than this no longer back a token (pods keep theirs during graceful deletion). */
const DELETION_GRACE_MS = 60_000;

export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export interface BoundObject {
  kind: 'Pod' | 'Secret';
  name: string;
  uid: string;
}

export interface IssueServiceAccountTokenOptions {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  audiences?: string[];
  expirationSeconds?: number;
  boundObject?: BoundObject;
  now: Date;
  issuer?: string;
}

interface ObjRef {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjRef;
  pod?: ObjRef;
  secret?: ObjRef;
}

export const serviceAccountUsername = (namespace: string, name: string) => `${SA_PREFIX}${namespace}:${name}`;

/** Returns the token and its expiry (TokenRequest's status.expirationTimestamp). */
export async function issueServiceAccountToken(
  pki: { serviceAccount: ServiceAccountKey },
  o: IssueServiceAccountTokenOptions,
): Promise<{ token: string; expirationTimestamp: Date }> {
  const iat = Math.floor(o.now.getTime() / 1000);
  const exp = iat + (o.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS);
  const claim: KubernetesClaim = {
    namespace: o.namespace,
    serviceaccount: { name: o.serviceAccountName, uid: o.serviceAccountUid },
  };
  if (o.boundObject?.kind === 'Pod') claim.pod = { name: o.boundObject.name, uid: o.boundObject.uid };
  if (o.boundObject?.kind === 'Secret') claim.secret = { name: o.boundObject.name, uid: o.boundObject.uid };
  const token = await new SignJWT({ 'kubernetes.io': claim })
    .setProtectedHeader({ alg: SA_SIGNING_ALG, kid: pki.serviceAccount.keyId })
    .setIssuer(o.issuer ?? DEFAULT_ISSUER)
    .setSubject(serviceAccountUsername(o.namespace, o.serviceAccountName))
    .setAudience(o.audiences?.length ? o.audiences : [DEFAULT_ISSUER])
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(pki.serviceAccount.privateKey);
  return { token, expirationTimestamp: new Date(exp * 1000) };
}

/** Reads the objects a token is bound to; each returns null when the object is gone. */
export interface ServiceAccountLookup {
  getServiceAccount(namespace: string, name: string): Promise<ObjectLike | null>;
  getPod(namespace: string, name: string): Promise<ObjectLike | null>;
  getSecret(namespace: string, name: string): Promise<SecretLike | null>;
}

export interface ServiceAccountAuthenticatorOptions {
  issuer?: string;
  /** Accepted audiences; a token must name at least one. Defaults to [issuer]. */
  audiences?: string[];
  now?: () => Date;
}

function isRef(v: unknown): v is ObjRef {
  return typeof v === 'object' && v !== null && typeof (v as ObjRef).name === 'string' && typeof (v as ObjRef).uid === 'string';
}

function kubernetesClaim(payload: Record<string, unknown>): KubernetesClaim | null {
  const c = payload['kubernetes.io'];
  if (typeof c !== 'object' || c === null) return null;
  const claim = c as Record<string, unknown>;
  if (typeof claim.namespace !== 'string' || !isRef(claim.serviceaccount)) return null;
  if (claim.pod !== undefined && !isRef(claim.pod)) return null;
  if (claim.secret !== undefined && !isRef(claim.secret)) return null;
  return claim as unknown as KubernetesClaim;
}

export class ServiceAccountTokenAuthenticator implements Authenticator {
  private readonly issuer: string;
  private readonly audiences: string[];
  private readonly now: () => Date;

  constructor(
    private readonly key: ServiceAccountKey,
    private readonly lookup: ServiceAccountLookup,
    opts: ServiceAccountAuthenticatorOptions = {},
  ) {
    this.issuer = opts.issuer ?? DEFAULT_ISSUER;
    this.audiences = opts.audiences?.length ? opts.audiences : [this.issuer];
    this.now = opts.now ?? (() => new Date());
  }

  /** True when `obj` exists, has `uid`, and was not deleted too long ago. */
  private live(obj: ObjectLike | null, uid: string): boolean {
    if (!obj || obj.metadata?.uid !== uid) return false;
    const deleted = obj.metadata.deletionTimestamp;
    return !deleted || Date.parse(deleted) > this.now().getTime() - DELETION_GRACE_MS;
  }

  async authenticate(req: AuthRequest): Promise<UserInfo | null> {
    const token = bearerToken(req.headers);
    if (token === null || token.split('.').length !== 3) return null;
    let payload: Record<string, unknown>;
    try {
      if (decodeProtectedHeader(token).alg !== SA_SIGNING_ALG) return null;
      ({ payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: this.issuer,
        audience: this.audiences,
        algorithms: [SA_SIGNING_ALG],
        currentDate: this.now(),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      // Not ours, expired, wrong audience, bad signature: no opinion.
      if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
    const claim = kubernetesClaim(payload);
    if (!claim) return null;
    const { namespace, serviceaccount: sa, pod, secret } = claim;
    if (payload.sub !== serviceAccountUsername(namespace, sa.name)) return null;
    if (!this.live(await this.lookup.getServiceAccount(namespace, sa.name), sa.uid)) return null;
    if (pod && !this.live(await this.lookup.getPod(namespace, pod.name), pod.uid)) return null;
    if (secret && !this.live(await this.lookup.getSecret(namespace, secret.name), secret.uid)) return null;
    const extra: Record<string, string[]> = {};
    if (pod) {
      extra[EXTRA_POD_NAME] = [pod.name];
      extra[EXTRA_POD_UID] = [pod.uid];
    }
    if (typeof payload.jti === 'string') extra[EXTRA_CREDENTIAL_ID] = [`JTI=${payload.jti}`];
    return withAuthenticatedGroup({
      username: serviceAccountUsername(namespace, sa.name),
      uid: sa.uid,
      groups: [GROUP_SERVICE_ACCOUNTS, `${GROUP_SERVICE_ACCOUNTS}:${namespace}`],
      extra,
    });
  }
}

/** The JWKS document for /openid/v1/jwks (service-account issuer discovery). */
export function serviceAccountJwks(key: ServiceAccountKey): { keys: Record<string, unknown>[] } {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ use: 'sig', kty: jwk.kty, kid: key.keyId, crv: jwk.crv, alg: SA_SIGNING_ALG, x: jwk.x, y: jwk.y }] };
}
