// TLS for the HTTPS port: the kubernetes.io/tls Secrets named by our
// Ingresses' spec.tls, chosen by SNI, and a self-signed fallback.
import tls from 'node:tls';
import { createCertificate, generateKeyPair } from '../apiserver/pki/index.js';
import { toPem } from '../apiserver/pki/x509.js';
import type { Logger } from '../util/log.js';
import { wildcardMatches } from './match.js';
import type { Ingress, Secret } from './types.js';

export interface PemPair {
  cert: string;
  key: string;
}

/** A self-signed serving certificate for when no Secret covers the name asked for. */
export function selfSignedCertificate(commonName = 'kubets-ingress-default', now = new Date()): PemPair {
  const { privateKey, publicKey } = generateKeyPair();
  const der = createCertificate(
    {
      subject: { commonName },
      publicKey,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + 365 * 86_400_000),
      extKeyUsage: ['serverAuth'],
      dnsNames: [commonName],
    },
    { selfKey: privateKey },
  );
  return { cert: toPem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Host name → TLS context; rebuilt with the routing table, contexts cached by Secret version. */
export class CertificateStore {
  private exact = new Map<string, tls.SecureContext>();
  private wildcard = new Map<string, tls.SecureContext>();
  private cache = new Map<string, { version: string; ctx: tls.SecureContext }>();
  readonly defaultContext: tls.SecureContext;

  constructor(private readonly log: Logger, fallback: PemPair = selfSignedCertificate()) {
    this.defaultContext = tls.createSecureContext(fallback);
  }

  /** Recomputes the host map from our Ingresses (oldest first: the first to claim a host keeps it). */
  update(ingresses: Ingress[], secrets: Map<string, Secret>): void {
    const exact = new Map<string, tls.SecureContext>();
    const wildcard = new Map<string, tls.SecureContext>();
    const used = new Set<string>();
    for (const ing of ingresses) {
      const ns = ing.metadata.namespace ?? 'default';
      for (const t of ing.spec?.tls ?? []) {
        if (!t.secretName) continue;
        const key = `${ns}/${t.secretName}`;
        const ctx = this.context(key, secrets.get(key));
        if (!ctx) continue;
        used.add(key);
        for (const h of t.hosts ?? []) {
          const host = h.toLowerCase();
          const m = host.startsWith('*.') ? wildcard : exact;
          if (!m.has(host)) m.set(host, ctx);
        }
      }
    }
    for (const k of this.cache.keys()) if (!used.has(k)) this.cache.delete(k);
    this.exact = exact;
    this.wildcard = wildcard;
  }

  /** The context for an SNI name: exact host, then a `*.` entry, else the default. */
  lookup(servername: string | undefined): tls.SecureContext {
    const name = (servername ?? '').toLowerCase();
    const hit = this.exact.get(name);
    if (hit) return hit;
    for (const [pattern, ctx] of this.wildcard) if (wildcardMatches(pattern, name)) return ctx;
    return this.defaultContext;
  }

  private context(key: string, secret: Secret | undefined): tls.SecureContext | undefined {
    if (!secret) return undefined;
    const version = `${secret.metadata.uid ?? ''}/${secret.metadata.resourceVersion ?? ''}`;
    const cached = this.cache.get(key);
    if (cached?.version === version) return cached.ctx;
    const crt = secret.data?.['tls.crt'];
    const pem = secret.data?.['tls.key'];
    if (!crt || !pem) {
      this.log.warn('TLS secret lacks tls.crt or tls.key', { secret: key });
      return undefined;
    }
    try {
      const ctx = tls.createSecureContext({ cert: Buffer.from(crt, 'base64'), key: Buffer.from(pem, 'base64') });
      this.cache.set(key, { version, ctx });
      return ctx;
    } catch (err) {
      this.log.warn('TLS secret does not hold a usable certificate and key', { secret: key, err: (err as Error).message });
      return undefined;
    }
  }
}
