import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { time } from './der.js';
import { ipBytes } from './ip-bytes.js';
import { createCertificate, generateKeyPair, toPem } from './x509.js';
import { ensurePki, issueClientCert, issueServingCert, PKI_FILES, type Pki } from './pki.js';
import { scaled } from '../../testing/time-scale.js';


describe('ensurePki', () => {
  let dir: string;
  let pki: Pki;
  let firstMs: number;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubets-pki-'));
    const t0 = performance.now();
    pki = await ensurePki(dir, { hostnames: ['api.example.test'], ips: ['192.0.2.7'] });
    firstMs = performance.now() - t0;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('creates everything on a first start in seconds at most', () => {
    console.log(`first ensurePki took ${firstMs.toFixed(1)} ms`);
    // A guard against pathological key generation, not a speed figure: a
    // first start takes well under a second, but an overloaded host took 1.2 s.
    assert.ok(firstMs < scaled(10_000), `took ${firstMs} ms`);
  });

  it('writes keys with mode 0600 and certificates readable', async () => {
    for (const f of [PKI_FILES.caKey, PKI_FILES.servingKey, PKI_FILES.adminKey, PKI_FILES.serviceAccountKey]) {
      assert.equal((await stat(join(dir, 'pki', f))).mode & 0o777, 0o600, f);
    }
    assert.equal((await stat(join(dir, 'pki', PKI_FILES.caCert))).mode & 0o777, 0o644);
  });

  it('makes a 10-year self-signed CA and CA-signed leaves', () => {
    const { ca, serving, admin, kubeletClient } = pki;
    assert.ok(ca.cert.ca);
    assert.ok(ca.cert.verify(ca.cert.publicKey));
    const years = (Date.parse(ca.cert.validTo) - Date.now()) / (365.25 * 24 * 3600e3);
    assert.ok(years > 9.9 && years < 10.1, String(years));
    for (const leaf of [serving, admin, kubeletClient]) {
      assert.equal(leaf.cert.ca, false);
      assert.ok(leaf.cert.checkIssued(ca.cert) && leaf.cert.verify(ca.cert.publicKey));
      assert.ok(leaf.cert.checkPrivateKey(leaf.key));
    }
    assert.equal(admin.cert.subject, 'O=system:masters\nCN=system:admin');
    assert.equal(kubeletClient.cert.subject, 'O=system:masters\nCN=kube-apiserver-kubelet-client');
  });

  it('puts the cluster names, host name, loopback and service IP in the serving SANs', () => {
    const san = pki.serving.cert.subjectAltName ?? '';
    for (const want of [
      'DNS:localhost',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
      'DNS:api.example.test',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      'IP Address:10.43.0.1',
      'IP Address:192.0.2.7',
    ]) {
      assert.ok(san.split(', ').includes(want), `${want} missing from ${san}`);
    }
    assert.ok(pki.serving.cert.checkHost('kubernetes.default.svc'));
    assert.ok(pki.serving.cert.checkIP('10.43.0.1'));
  });

  it('reuses everything on restart with the same options', async () => {
    const again = await ensurePki(dir, { hostnames: ['api.example.test'], ips: ['192.0.2.7'] });
    assert.equal(again.ca.cert.fingerprint256, pki.ca.cert.fingerprint256);
    assert.equal(again.serving.certPem, pki.serving.certPem);
    assert.equal(again.admin.certPem, pki.admin.certPem);
    assert.equal(again.kubeletClient.certPem, pki.kubeletClient.certPem);
    assert.equal(again.serviceAccount.keyId, pki.serviceAccount.keyId);
  });

  it('re-issues only the serving certificate when the extra SANs change', async () => {
    const changed = await ensurePki(dir, { hostnames: ['other.example.test'] });
    assert.equal(changed.ca.cert.fingerprint256, pki.ca.cert.fingerprint256);
    assert.equal(changed.admin.certPem, pki.admin.certPem);
    assert.equal(changed.serviceAccount.keyId, pki.serviceAccount.keyId);
    assert.notEqual(changed.serving.certPem, pki.serving.certPem);
    assert.ok(changed.serving.cert.checkHost('other.example.test'));
    assert.equal(changed.serving.cert.checkHost('api.example.test'), undefined);
  });

  it('re-issues leaves that are close to expiry', async () => {
    const later = new Date(Date.now() + 300 * 24 * 3600e3);
    const renewed = await ensurePki(dir, { now: later });
    assert.equal(renewed.ca.cert.fingerprint256, pki.ca.cert.fingerprint256);
    assert.notEqual(renewed.admin.certPem, pki.admin.certPem);
    assert.ok(Date.parse(renewed.admin.cert.validTo) > later.getTime());
  });

  it('refuses a CA key that does not match its certificate', async () => {
    const other = await mkdtemp(join(tmpdir(), 'kubets-pki-'));
    try {
      const a = await ensurePki(other);
      await writeFile(join(other, 'pki', PKI_FILES.caKey), pki.ca.keyPem);
      await assert.rejects(ensurePki(other), { name: 'PkiError(KeyMismatch)' });
      assert.ok(a.ca.cert.ca);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('re-issues an unreadable leaf but refuses an unreadable CA', async () => {
    const other = await mkdtemp(join(tmpdir(), 'kubets-pki-'));
    try {
      const a = await ensurePki(other);
      await writeFile(join(other, 'pki', PKI_FILES.adminKey), 'garbage');
      const b = await ensurePki(other);
      assert.equal(b.ca.cert.fingerprint256, a.ca.cert.fingerprint256);
      assert.ok(b.admin.cert.checkPrivateKey(b.admin.key));
      await writeFile(join(other, 'pki', PKI_FILES.caCert), 'garbage');
      await assert.rejects(ensurePki(other), { name: 'PkiError(InvalidKey)' });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('issues client and serving certificates for later components', () => {
    const client = issueClientCert(pki, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
    assert.equal(client.cert.subject, 'O=system:nodes\nCN=system:node:n1');
    assert.deepEqual(client.cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    const serving = issueServingCert(pki, { hostnames: ['n1'], ips: ['10.0.0.5'] });
    assert.ok(serving.cert.checkHost('n1') && serving.cert.checkIP('10.0.0.5'));
    assert.deepEqual(serving.cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.ok(serving.cert.verify(pki.ca.cert.publicKey));
  });

  it('produces certificates openssl parses and verifies', () => {
    const text = spawnSync('openssl', ['x509', '-noout', '-text'], { input: pki.serving.certPem, encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text.stdout, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text.stdout, /TLS Web Server Authentication/);
    const caFile = join(dir, 'pki', PKI_FILES.caCert);
    const verify = spawnSync('openssl', ['verify', '-CAfile', caFile, '-purpose', 'sslclient'], {
      input: pki.admin.certPem,
      encoding: 'utf8',
    });
    assert.equal(verify.status, 0, verify.stderr + verify.stdout);
  });
});

describe('encoding helpers', () => {
  it('encodes IPv4 and IPv6 addresses as SAN bytes', () => {
    assert.equal(ipBytes('10.43.0.1').toString('hex'), '0a2b0001');
    assert.equal(ipBytes('::1').toString('hex'), '00000000000000000000000000000001');
    assert.equal(ipBytes('fe80::1:2').toString('hex'), 'fe800000000000000000000000010002');
    assert.equal(ipBytes('::ffff:1.2.3.4').toString('hex'), '00000000000000000000ffff01020304');
    assert.throws(() => ipBytes('nope'), { name: 'InvalidIPError' });
  });

  it('uses UTCTime before 2050 and GeneralizedTime after', () => {
    assert.equal(time(new Date('2036-01-02T03:04:05Z')).subarray(2).toString(), '360102030405Z');
    assert.equal(time(new Date('2036-01-02T03:04:05Z'))[0], 0x17);
    assert.equal(time(new Date('2051-01-02T03:04:05Z')).subarray(2).toString(), '20510102030405Z');
    assert.equal(time(new Date('2051-01-02T03:04:05Z'))[0], 0x18);
  });

  it('builds a self-signed CA that signs leaves for any key', () => {
    const { privateKey, publicKey } = generateKeyPair();
    const notBefore = new Date();
    const caDer = createCertificate(
      { subject: { commonName: 'test-ca' }, publicKey, notBefore, notAfter: new Date(Date.now() + 3600e3), isCA: true },
      { selfKey: privateKey },
    );
    const ca = new X509Certificate(toPem('CERTIFICATE', caDer));
    assert.ok(ca.ca && ca.verify(publicKey) && ca.checkIssued(ca));
    const leafKeys = generateKeyPair();
    const leafDer = createCertificate(
      { subject: { commonName: 'leaf' }, publicKey: leafKeys.publicKey, notBefore, notAfter: new Date(Date.now() + 60e3) },
      { certDer: caDer, privateKey, publicKey },
    );
    const leaf = new X509Certificate(leafDer);
    assert.equal(leaf.issuer, 'CN=test-ca');
    assert.ok(leaf.verify(publicKey));
    assert.equal(leaf.verify(leafKeys.publicKey), false);
  });
});
