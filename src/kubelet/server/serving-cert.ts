// The kubelet's serving certificate when none is given: self-signed for the
// node's names and addresses, kept under a directory and reused while valid
// (as upstream's kubelet writes pki/kubelet.crt). The API server does not
// verify it (no --kubelet-certificate-authority), so self-signed is enough.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificate, generateKeyPair, toPem } from '../../apiserver/pki/x509.js';
import { writeAtomic } from '../../apiserver/pki/files.js';

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 24 * 3600 * 1000;
const VALIDITY_DAYS = 365;
const RENEW_BEFORE_DAYS = 30;

function sameNames(cert: X509Certificate, hostnames: string[], ips: string[]): boolean {
  const have = new Set((cert.subjectAltName ?? '').split(', ').filter(Boolean));
  return hostnames.every((h) => have.has(`DNS:${h}`)) && ips.every((ip) => cert.checkIP(ip) !== undefined);
}

/** Loads DIR/kubelet.crt and .key, or makes them (again) when missing, expiring, or not naming the node. */
export async function ensureKubeletServingCert(dir: string, opts: { nodeName: string; ips: string[]; now?: Date }): Promise<ServingCert> {
  const now = opts.now ?? new Date();
  const certPath = join(dir, 'kubelet.crt');
  const keyPath = join(dir, 'kubelet.key');
  const hostnames = [opts.nodeName];
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    const cert = new X509Certificate(certPem);
    const fresh = new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY_MS;
    if (fresh && cert.checkPrivateKey(createPrivateKey(keyPem)) && sameNames(cert, hostnames, opts.ips)) return { certPem, keyPem };
  } catch {
    // missing or unreadable: made anew below
  }
  const { privateKey, publicKey } = generateKeyPair();
  const der = createCertificate(
    {
      subject: { commonName: `${opts.nodeName}@${Math.floor(now.getTime() / 1000)}` },
      publicKey,
      notBefore: new Date(now.getTime() - 3600 * 1000),
      notAfter: new Date(now.getTime() + VALIDITY_DAYS * DAY_MS),
      extKeyUsage: ['serverAuth'],
      dnsNames: hostnames,
      ips: opts.ips,
    },
    { selfKey: privateKey },
  );
  const out = { certPem: toPem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomic(keyPath, out.keyPem, 0o600);
  await writeAtomic(certPath, out.certPem, 0o644);
  return out;
}
