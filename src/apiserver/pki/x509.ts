// Builds X.509 v3 certificates signed with ECDSA P-256 / SHA-256 using Node's
// crypto for keys and signatures and our own DER encoding for the structure.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as der from './der.js';
import { certificateSubject, spkiKeyBits } from './der-reader.js';
import { ipBytes } from './ip-bytes.js';

const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

// keyUsage bit numbers (RFC 5280 4.2.1.3).
const DIGITAL_SIGNATURE = 0;
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;

export type ExtKeyUsage = 'serverAuth' | 'clientAuth';

export interface DistinguishedName {
  commonName: string;
  organizations?: string[];
}

export interface CertificateTemplate {
  subject: DistinguishedName;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCA?: boolean;
  extKeyUsage?: ExtKeyUsage[];
  dnsNames?: string[];
  ips?: string[];
}

/** The CA that signs a certificate: its certificate (DER) and private key. */
export interface Signer {
  certDer: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh ECDSA P-256 key pair (sub-millisecond, unlike RSA). */
export function generateKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function encodeName(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: string) => der.set(der.sequence(der.oid(type), der.utf8String(value)));
  // Organizations first, then CN, as Go's pkix.Name does.
  return der.sequence(
    ...(dn.organizations ?? []).map((o) => rdn(OID.organization, o)),
    rdn(OID.commonName, dn.commonName),
  );
}

/** RFC 5280 method 1 key identifier: SHA-1 of the public key bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spkiKeyBits(spki)).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function serialNumber(): Buffer {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01; // positive and never zero
  return b;
}

function extensions(tpl: CertificateTemplate, authorityKeyId: Buffer): Buffer {
  const exts: Buffer[] = [];
  exts.push(
    extension(
      OID.keyUsage,
      true,
      der.namedBitString(tpl.isCA ? [DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN] : [DIGITAL_SIGNATURE]),
    ),
  );
  if (tpl.extKeyUsage?.length) {
    exts.push(extension(OID.extKeyUsage, false, der.sequence(...tpl.extKeyUsage.map((u) => der.oid(OID[u])))));
  }
  exts.push(extension(OID.basicConstraints, true, tpl.isCA ? der.sequence(der.boolean(true)) : der.sequence()));
  exts.push(extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(tpl.publicKey))));
  exts.push(extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, authorityKeyId))));
  const names = [
    ...(tpl.dnsNames ?? []).map((n) => der.implicitPrimitive(2, Buffer.from(n, 'ascii'))),
    ...(tpl.ips ?? []).map((ip) => der.implicitPrimitive(7, ipBytes(ip))),
  ];
  if (names.length > 0) exts.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  return der.explicit(3, der.sequence(...exts));
}

/**
 * Issues a certificate for `tpl`, signed by `signer`, or self-signed when no
 * signer is given (then `selfKey` is the template key's private half).
 */
export function createCertificate(tpl: CertificateTemplate, signer: Signer | { selfKey: KeyObject }): Buffer {
  const selfSigned = 'selfKey' in signer;
  const issuerName = selfSigned ? encodeName(tpl.subject) : certificateSubject(signer.certDer);
  const authorityKeyId = keyIdentifier(selfSigned ? tpl.publicKey : signer.publicKey);
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSHA256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serialNumber()),
    algorithm,
    issuerName,
    der.sequence(der.time(tpl.notBefore), der.time(tpl.notAfter)),
    encodeName(tpl.subject),
    tpl.publicKey.export({ type: 'spki', format: 'der' }),
    extensions(tpl, authorityKeyId),
  );
  const signature = sign('sha256', tbs, selfSigned ? signer.selfKey : signer.privateKey);
  return der.sequence(tbs, algorithm, der.bitString(signature));
}

export function toPem(label: 'CERTIFICATE', derBytes: Buffer): string {
  const lines = derBytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
