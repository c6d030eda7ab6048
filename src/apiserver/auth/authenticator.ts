// The API server's authenticator chain: client certificates, static tokens,
// bootstrap tokens, then service-account tokens (bound, then legacy Secret-based).
import type { ServiceAccountKey } from '../pki/pki.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token.js';
import { LegacyServiceAccountTokenAuthenticator } from './legacy-service-account-token.js';
import type { GetSecret } from './secret-types.js';
import {
  ServiceAccountTokenAuthenticator,
  type ServiceAccountAuthenticatorOptions,
  type ServiceAccountLookup,
} from './service-account-token.js';
import { TokenFileAuthenticator } from './token-file.js';
import type { Authenticator } from './types.js';
import { UnionAuthenticator } from './union.js';
import { X509Authenticator } from './x509-authenticator.js';

export interface AuthenticatorConfig {
  caPem: string;
  /** Path of a static token CSV (--token-auth-file). */
  tokenAuthFile?: string;
  /** Secret reads for bootstrap tokens; bootstrap auth is off without it. */
  getSecret?: GetSecret;
  serviceAccount?: { key: ServiceAccountKey; lookup: ServiceAccountLookup } & ServiceAccountAuthenticatorOptions;
  now?: () => Date;
}

export async function buildAuthenticator(cfg: AuthenticatorConfig): Promise<Authenticator> {
  const chain: Authenticator[] = [new X509Authenticator(cfg.caPem, cfg.now)];
  if (cfg.tokenAuthFile) chain.push(await TokenFileAuthenticator.fromFile(cfg.tokenAuthFile));
  if (cfg.getSecret) chain.push(new BootstrapTokenAuthenticator(cfg.getSecret, cfg.now));
  if (cfg.serviceAccount) {
    const { key, lookup, ...opts } = cfg.serviceAccount;
    chain.push(new ServiceAccountTokenAuthenticator(key, lookup, { now: cfg.now, ...opts }));
    chain.push(new LegacyServiceAccountTokenAuthenticator(key, lookup));
  }
  return new UnionAuthenticator(chain);
}
