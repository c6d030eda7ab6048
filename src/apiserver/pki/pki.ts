// The cluster PKI under DIR/pki: created on first start, reused afterwards.
// Only what is missing, expiring, or no longer matching (serving SANs) is
// re-issued; the CA and the service-account key are never regenerated.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PkiError } from './errors.js';
import { CERT_MODE, KEY_MODE, readIfExists, writeAtomic } from './files.js';
import { ipBytes } from './ip-bytes.js';
import { createCertificate, generateKeyPair, toPem, type CertificateTemplate, type ExtKeyUsage } from './x509.js';

const DAY_MS = 24 * 3600 * 1000;
export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 365;
/** Leaf certificates this close to expiry are re-issued at start. */
export const RENEW_BEFORE_DAYS = 90;
/** Tolerates small clock differences between the server and its clients. */
const BACKDATE_MS = 5 * 60 * 1000;
export const DEFAULT_SERVICE_IP = '10.43.0.1';
export const CLUSTER_DOMAIN_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

export interface CertKeyPair {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
  key: KeyObject;
}

export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** JWT `kid`: base64url SHA-256 of the DER public key, as upstream computes it. */
  keyId: string;
}

export interface Pki {
  dir: string;
  ca: CertKeyPair;
  serving: CertKeyPair;
  admin: CertKeyPair;
  /** The API server's client certificate towards kubelets (logs, exec, attach, port-forward). */
  kubeletClient: CertKeyPair;
  serviceAccount: ServiceAccountKey;
}

/** Subject of the API server's kubelet client certificate. */
export const KUBELET_CLIENT_SUBJECT = { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] };

export interface EnsurePkiOptions {
  hostnames?: string[];
  ips?: string[];
  serviceIP?: string;
  /** For tests: the clock. */
  now?: Date;
}

/** File names under DIR/pki. */
export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  servingCert: 'serving.crt',
  servingKey: 'serving.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  kubeletClientCert: 'kubelet-client.crt',
  kubeletClientKey: 'kubelet-client.key',
  serviceAccountKey: 'service-account.key',
  serviceAccountPub: 'service-account.pub',
} as const;

const keyPem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

function pair(certDer: Buffer, key: KeyObject): CertKeyPair {
  const certPem = toPem('CERTIFICATE', certDer);
  return { certPem, keyPem: keyPem(key), cert: new X509Certificate(certPem), key };
}

function leafTemplate(
  subject: CertificateTemplate['subject'],
  publicKey: KeyObject,
  extKeyUsage: ExtKeyUsage[],
  now: Date,
): CertificateTemplate {
  return {
    subject,
    publicKey,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS),
    extKeyUsage,
  };
}

function signer(ca: CertKeyPair) {
  return { certDer: ca.cert.raw, privateKey: ca.key, publicKey: ca.cert.publicKey };
}

/** A client certificate (CN = user, O = groups) signed by the cluster CA. */
export function issueClientCert(
  pki: Pick<Pki, 'ca'>,
  opts: { commonName: string; organizations?: string[]; now?: Date },
): CertKeyPair {
  const { privateKey, publicKey } = generateKeyPair();
  const subject = { commonName: opts.commonName, organizations: opts.organizations ?? [] };
  const tpl = leafTemplate(subject, publicKey, ['clientAuth'], opts.now ?? new Date());
  return pair(createCertificate(tpl, signer(pki.ca)), privateKey);
}

/** A serving certificate for the given names and addresses, signed by the cluster CA. */
export function issueServingCert(
  pki: Pick<Pki, 'ca'>,
  opts: { hostnames: string[]; ips: string[]; commonName?: string; now?: Date },
): CertKeyPair {
  const { privateKey, publicKey } = generateKeyPair();
  const commonName = opts.commonName ?? opts.hostnames[0] ?? 'kubets';
  const tpl = leafTemplate({ commonName }, publicKey, ['serverAuth'], opts.now ?? new Date());
  tpl.dnsNames = opts.hostnames;
  tpl.ips = opts.ips;
  return pair(createCertificate(tpl, signer(pki.ca)), privateKey);
}

/** The SANs the API server's serving certificate must carry. */
export function servingNames(opts: EnsurePkiOptions): { hostnames: string[]; ips: string[] } {
  const hostnames = [...new Set([...CLUSTER_DOMAIN_NAMES, hostname().toLowerCase(), ...(opts.hostnames ?? [])])];
  const ips = [...new Set(['127.0.0.1', '::1', opts.serviceIP ?? DEFAULT_SERVICE_IP, ...(opts.ips ?? [])])];
  return { hostnames, ips };
}

/** Canonical SAN set (IPs as hex bytes) so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
function sanKey(hostnames: string[], ips: string[]): string {
  const entries = [
    ...hostnames.map((h) => `DNS:${h.toLowerCase()}`),
    ...ips.map((ip) => `IP:${ipBytes(ip).toString('hex')}`),
  ];
  return [...new Set(entries)].sort().join(',');
}

function certSanKey(cert: X509Certificate): string {
  const hostnames: string[] = [];
  const ips: string[] = [];
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) hostnames.push(entry.slice(4));
    else if (entry.startsWith('IP Address:')) ips.push(entry.slice(11));
  }
  return sanKey(hostnames, ips);
}

/** True when `cert` was signed by `ca`, matches `key`, and is not close to expiry. */
function stillGood(cert: X509Certificate, key: KeyObject, ca: CertKeyPair, now: Date): boolean {
  if (!cert.checkIssued(ca.cert) || !cert.verify(ca.cert.publicKey)) return false;
  if (!cert.checkPrivateKey(key)) return false;
  return new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY_MS;
}

/** Runs a parser, turning its failure into a PkiError that names the file. */
function parse<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new PkiError('InvalidKey', `cannot parse ${path}: ${(err as Error).message}`, path);
  }
}

const parseKey = (path: string, pem: string) => parse(path, () => createPrivateKey(pem));

async function loadPair(certPath: string, keyPath: string): Promise<CertKeyPair | undefined> {
  const [certPem, kPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  if (certPem === undefined && kPem === undefined) return undefined;
  if (certPem === undefined) throw new PkiError('MissingCertificate', `${certPath} is missing but its key exists`, certPath);
  if (kPem === undefined) throw new PkiError('MissingKey', `${keyPath} is missing but its certificate exists`, keyPath);
  return { certPem, keyPem: kPem, cert: parse(certPath, () => new X509Certificate(certPem)), key: parseKey(keyPath, kPem) };
}

async function savePair(dir: string, certFile: string, keyFile: string, p: CertKeyPair): Promise<void> {
  await writeAtomic(join(dir, keyFile), p.keyPem, KEY_MODE);
  await writeAtomic(join(dir, certFile), p.certPem, CERT_MODE);
}

async function ensureCa(dir: string, now: Date): Promise<CertKeyPair> {
  const existing = await loadPair(join(dir, PKI_FILES.caCert), join(dir, PKI_FILES.caKey));
  if (existing) {
    if (!existing.cert.checkPrivateKey(existing.key)) {
      throw new PkiError('KeyMismatch', 'ca.key does not match ca.crt', join(dir, PKI_FILES.caKey));
    }
    return existing;
  }
  const { privateKey, publicKey } = generateKeyPair();
  const tpl: CertificateTemplate = {
    // k3s-style CN carrying the creation time, so a regenerated CA is recognisable.
    subject: { commonName: `kubets-server-ca@${Math.floor(now.getTime() / 1000)}` },
    publicKey,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    isCA: true,
  };
  const ca = pair(createCertificate(tpl, { selfKey: privateKey }), privateKey);
  await savePair(dir, PKI_FILES.caCert, PKI_FILES.caKey, ca);
  return ca;
}

function serviceAccountKeyFrom(privateKey: KeyObject): ServiceAccountKey {
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, keyId: createHash('sha256').update(spki).digest('base64url') };
}

async function ensureServiceAccountKey(dir: string): Promise<ServiceAccountKey> {
  const path = join(dir, PKI_FILES.serviceAccountKey);
  const pem = await readIfExists(path);
  if (pem !== undefined) return serviceAccountKeyFrom(parseKey(path, pem));
  const sa = serviceAccountKeyFrom(generateKeyPair().privateKey);
  await writeAtomic(path, keyPem(sa.privateKey), KEY_MODE);
  const pub = sa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await writeAtomic(join(dir, PKI_FILES.serviceAccountPub), pub, CERT_MODE);
  return sa;
}

async function ensureLeaf(
  dir: string,
  files: { cert: string; key: string },
  ca: CertKeyPair,
  now: Date,
  acceptable: (cert: X509Certificate) => boolean,
  issue: () => CertKeyPair,
): Promise<CertKeyPair> {
  const existing = await loadPair(join(dir, files.cert), join(dir, files.key)).catch((err: unknown) => {
    // A missing half or unreadable leaf is not worth failing the start for: it is re-issued.
    if (err instanceof PkiError) return undefined;
    throw err;
  });
  if (existing && stillGood(existing.cert, existing.key, ca, now) && acceptable(existing.cert)) return existing;
  const fresh = issue();
  await savePair(dir, files.cert, files.key, fresh);
  return fresh;
}

/** Creates (first start) or loads (restart) the cluster PKI under `dataDir/pki`. */
export async function ensurePki(dataDir: string, opts: EnsurePkiOptions = {}): Promise<Pki> {
  const now = opts.now ?? new Date();
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const [ca, serviceAccount] = await Promise.all([ensureCa(dir, now), ensureServiceAccountKey(dir)]);
  const names = servingNames(opts);
  const wanted = sanKey(names.hostnames, names.ips);
  const [serving, admin, kubeletClient] = await Promise.all([
    ensureLeaf(
      dir,
      { cert: PKI_FILES.servingCert, key: PKI_FILES.servingKey },
      ca,
      now,
      (cert) => certSanKey(cert) === wanted,
      () => issueServingCert({ ca }, { ...names, commonName: 'kube-apiserver', now }),
    ),
    ensureLeaf(
      dir,
      { cert: PKI_FILES.adminCert, key: PKI_FILES.adminKey },
      ca,
      now,
      () => true,
      () => issueClientCert({ ca }, { commonName: 'system:admin', organizations: ['system:masters'], now }),
    ),
    ensureLeaf(
      dir,
      { cert: PKI_FILES.kubeletClientCert, key: PKI_FILES.kubeletClientKey },
      ca,
      now,
      () => true,
      () => issueClientCert({ ca }, { ...KUBELET_CLIENT_SUBJECT, now }),
    ),
  ]);
  return { dir, ca, serving, admin, kubeletClient, serviceAccount };
}

/** Options for `https.createServer`/`tls.createServer`: client certs requested, checked per request. */
export function tlsServerOptions(pki: Pki): {
  key: string;
  cert: string;
  ca: string;
  requestCert: true;
  rejectUnauthorized: false;
} {
  return { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false };
}
