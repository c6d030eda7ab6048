// Long-lived service-account tokens stored in `kubernetes.io/service-account-token`
// Secrets (the pre-1.24 style; still created on request). They have no expiry and
// no audience, so they stay valid exactly as long as their Secret holds them.
import { SignJWT, jwtVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import type { ServiceAccountKey } from '../pki/pki.js';
import { bearerToken } from './bearer.js';
import { secretValue } from './secret-types.js';
import { SA_SIGNING_ALG, serviceAccountUsername, type ServiceAccountLookup } from './service-account-token.js';
import { GROUP_SERVICE_ACCOUNTS, withAuthenticatedGroup, type AuthRequest, type Authenticator, type UserInfo } from './types.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const CLAIM = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  name: 'kubernetes.io/serviceaccount/service-account.name',
  uid: 'kubernetes.io/serviceaccount/service-account.uid',
} as const;

export interface LegacyTokenOptions {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  secretName: string;
}

/** The JWT the token controller writes into a service-account-token Secret's `token` key. */
export async function issueLegacyServiceAccountToken(pki: { serviceAccount: ServiceAccountKey }, o: LegacyTokenOptions): Promise<string> {
  return new SignJWT({
    [CLAIM.namespace]: o.namespace,
    [CLAIM.secretName]: o.secretName,
    [CLAIM.name]: o.serviceAccountName,
    [CLAIM.uid]: o.serviceAccountUid,
  })
    .setProtectedHeader({ alg: SA_SIGNING_ALG, kid: pki.serviceAccount.keyId })
    .setIssuer(LEGACY_ISSUER)
    .setSubject(serviceAccountUsername(o.namespace, o.serviceAccountName))
    .sign(pki.serviceAccount.privateKey);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export class LegacyServiceAccountTokenAuthenticator implements Authenticator {
  constructor(
    private readonly key: ServiceAccountKey,
    private readonly lookup: ServiceAccountLookup,
  ) {}

  async authenticate(req: AuthRequest): Promise<UserInfo | null> {
    const token = bearerToken(req.headers);
    if (token === null || token.split('.').length !== 3) return null;
    let payload: Record<string, unknown>;
    try {
      if (decodeProtectedHeader(token).alg !== SA_SIGNING_ALG) return null;
      ({ payload } = await jwtVerify(token, this.key.publicKey, { issuer: LEGACY_ISSUER, algorithms: [SA_SIGNING_ALG] }));
    } catch (err) {
      if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
    const namespace = str(payload[CLAIM.namespace]);
    const name = str(payload[CLAIM.name]);
    const uid = str(payload[CLAIM.uid]);
    const secretName = str(payload[CLAIM.secretName]);
    if (!namespace || !name || !uid || !secretName) return null;
    if (payload.sub !== serviceAccountUsername(namespace, name)) return null;
    // Revocation is by deleting the Secret (or changing its token), so it must still hold this exact token.
    const secret = await this.lookup.getSecret(namespace, secretName);
    if (!secret || secret.metadata?.deletionTimestamp) return null;
    const stored = Buffer.from(secretValue(secret, 'token') ?? '');
    const given = Buffer.from(token);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
    const sa = await this.lookup.getServiceAccount(namespace, name);
    if (!sa || sa.metadata?.uid !== uid || sa.metadata.deletionTimestamp) return null;
    return withAuthenticatedGroup({
      username: serviceAccountUsername(namespace, name),
      uid,
      groups: [GROUP_SERVICE_ACCOUNTS, `${GROUP_SERVICE_ACCOUNTS}:${namespace}`],
    });
  }
}
