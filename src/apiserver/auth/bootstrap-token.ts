// Bootstrap tokens (`<id>.<secret>`), stored as kube-system Secrets named
// bootstrap-token-<id>: what agents use to join, as with kubeadm and k3s.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writeAtomic, KEY_MODE } from '../pki/files.js';
import { bearerToken } from './bearer.js';
import { secretValue, type GetSecret, type SecretLike } from './secret-types.js';
import { GROUP_BOOTSTRAPPERS, withAuthenticatedGroup, type AuthRequest, type Authenticator, type UserInfo } from './types.js';

export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const BOOTSTRAP_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_NAMESPACE = 'kube-system';
const EXTRA_GROUP_PATTERN = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
/** The group our node-join token carries, in the spirit of kubeadm's default-node-token. */
export const NODE_TOKEN_GROUP = 'system:bootstrappers:kubets:default-node-token';

export interface BootstrapToken {
  id: string;
  secret: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomString = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export function generateBootstrapToken(): BootstrapToken {
  return { id: randomString(6), secret: randomString(16) };
}

export const formatBootstrapToken = (t: BootstrapToken) => `${t.id}.${t.secret}`;

export function parseBootstrapToken(text: string): BootstrapToken | null {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(text.trim());
  return m?.[1] && m[2] ? { id: m[1], secret: m[2] } : null;
}

export interface BootstrapSecretOptions {
  description?: string;
  expiration?: Date;
  extraGroups?: string[];
  usages?: ('authentication' | 'signing')[];
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The Secret the API server stores so that `token` authenticates. */
export function bootstrapTokenSecret(token: BootstrapToken, opts: BootstrapSecretOptions = {}) {
  const data: Record<string, string> = { 'token-id': b64(token.id), 'token-secret': b64(token.secret) };
  for (const usage of opts.usages ?? ['authentication']) data[`usage-bootstrap-${usage}`] = b64('true');
  if (opts.description) data.description = b64(opts.description);
  if (opts.expiration) data.expiration = b64(opts.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (opts.extraGroups?.length) data['auth-extra-groups'] = b64(opts.extraGroups.join(','));
  return {
    apiVersion: 'v1' as const,
    kind: 'Secret' as const,
    metadata: { name: `${BOOTSTRAP_SECRET_PREFIX}${token.id}`, namespace: BOOTSTRAP_NAMESPACE },
    type: BOOTSTRAP_SECRET_TYPE,
    data,
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user a valid bootstrap Secret stands for, or null when it does not authenticate `token`. */
export function bootstrapUser(secret: SecretLike, token: BootstrapToken, now: Date): UserInfo | null {
  if (secret.type !== BOOTSTRAP_SECRET_TYPE || secret.metadata?.deletionTimestamp) return null;
  if (secretValue(secret, 'token-id') !== token.id) return null;
  const stored = secretValue(secret, 'token-secret');
  if (stored === undefined || !safeEqual(stored, token.secret)) return null;
  if (secretValue(secret, 'usage-bootstrap-authentication') !== 'true') return null;
  const expiration = secretValue(secret, 'expiration');
  if (expiration !== undefined) {
    const at = Date.parse(expiration);
    if (Number.isNaN(at) || at <= now.getTime()) return null;
  }
  const extra = (secretValue(secret, 'auth-extra-groups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  // A Secret with malformed groups is rejected rather than trusted partially.
  if (extra.some((g) => !EXTRA_GROUP_PATTERN.test(g))) return null;
  return withAuthenticatedGroup({ username: `system:bootstrap:${token.id}`, groups: [GROUP_BOOTSTRAPPERS, ...extra] });
}

export class BootstrapTokenAuthenticator implements Authenticator {
  constructor(
    private readonly getSecret: GetSecret,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async authenticate(req: AuthRequest): Promise<UserInfo | null> {
    const text = bearerToken(req.headers);
    const token = text === null ? null : parseBootstrapToken(text);
    if (!token) return null;
    const secret = await this.getSecret(BOOTSTRAP_NAMESPACE, `${BOOTSTRAP_SECRET_PREFIX}${token.id}`);
    return secret ? bootstrapUser(secret, token, this.now()) : null;
  }
}

/** `sha256:<hex>` of the CA certificate's DER, like kubeadm's discovery-token-ca-cert-hash. */
export function caCertHash(caDer: Buffer): string {
  return `sha256:${createHash('sha256').update(caDer).digest('hex')}`;
}

/**
 * k3s-style node token: `K10<ca sha256 hex>::<id>.<secret>`, so that an agent
 * can check the CA it fetches. A bare `<id>.<secret>` is accepted too.
 */
export function formatNodeToken(token: BootstrapToken, caDer?: Buffer): string {
  const bare = formatBootstrapToken(token);
  return caDer ? `K10${caCertHash(caDer).slice('sha256:'.length)}::${bare}` : bare;
}

export function parseNodeToken(text: string): { token: BootstrapToken; caHash?: string } | null {
  const m = /^K10([0-9a-f]{64})::(.+)$/.exec(text.trim());
  const token = parseBootstrapToken(m?.[2] ?? text);
  if (!token) return null;
  return m?.[1] ? { token, caHash: `sha256:${m[1]}` } : { token };
}

/**
 * Reads DIR/node-token, or creates it on first start. Returns the token and
 * the Secret the API server must store (it is idempotent to store it again).
 */
export async function ensureNodeToken(
  dataDir: string,
  caDer?: Buffer,
): Promise<{ token: BootstrapToken; text: string; secret: ReturnType<typeof bootstrapTokenSecret> }> {
  const path = join(dataDir, 'node-token');
  const existing = await readIfExists(path);
  const parsed = existing === undefined ? null : parseNodeToken(existing);
  const token = parsed?.token ?? generateBootstrapToken();
  const text = formatNodeToken(token, caDer);
  if (existing?.trim() !== text) await writeAtomic(path, `${text}\n`, KEY_MODE);
  const secret = bootstrapTokenSecret(token, {
    description: 'kubets node join token',
    extraGroups: [NODE_TOKEN_GROUP],
  });
  return { token, text, secret };
}
