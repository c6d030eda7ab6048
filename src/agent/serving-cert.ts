// The kubelet API's serving certificate: self-signed, as upstream's kubelet
// makes one when no certificate is configured. The API server does not verify
// it (upstream's default without --kubelet-certificate-authority).
import { createCertificate, generateKeyPair, toPem, type CertificateTemplate } from '../apiserver/pki/x509.js';

export function selfSignedServingCert(nodeName: string, ips: string[], now = new Date()): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPair();
  const tpl: CertificateTemplate = {
    subject: { commonName: `${nodeName}@${Math.floor(now.getTime() / 1000)}` },
    publicKey,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 365 * 24 * 3600_000),
    extKeyUsage: ['serverAuth'],
    dnsNames: [nodeName],
    ips,
  };
  const der = createCertificate(tpl, { selfKey: privateKey });
  return { certPem: toPem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}
