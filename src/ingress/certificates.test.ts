import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type net from 'node:net';
import { describe, it } from 'node:test';
import { silentLogger } from '../util/log.js';
import { CertificateStore, selfSignedCertificate } from './certificates.js';
import type { Ingress, Secret } from './types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, pair: { cert: string; key: string }, rv = '1'): Secret => ({
  metadata: { namespace: 'default', name, uid: `uid-${name}`, resourceVersion: rv },
  type: 'kubernetes.io/tls',
  data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key) },
});
const ingress = (tlsEntries: { hosts: string[]; secretName: string }[]): Ingress => ({ metadata: { namespace: 'default', name: 'i' }, spec: { tls: tlsEntries } });

/** The CN a TLS server presents for an SNI name, through a real handshake on loopback. */
async function presentedCN(store: CertificateStore, servername: string): Promise<string> {
  const server = tls.createServer({ SNICallback: (n, cb) => cb(null, store.lookup(n)), secureContext: store.defaultContext }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as net.AddressInfo).port;
    return await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
        const raw = s.getPeerX509Certificate();
        s.destroy();
        resolve(new X509Certificate(raw!.raw).subject.replace(/^CN=/, ''));
      });
      s.on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('CertificateStore', () => {
  it('picks certificates by exact and wildcard SNI, else the default', async () => {
    const store = new CertificateStore(silentLogger, selfSignedCertificate('fallback'));
    const secrets = new Map<string, Secret>([
      ['default/one', secret('one', selfSignedCertificate('one.test'))],
      ['default/wild', secret('wild', selfSignedCertificate('*.wild.test'))],
      ['default/broken', { ...secret('broken', selfSignedCertificate('x')), data: { 'tls.crt': b64('not a cert'), 'tls.key': b64('nope') } }],
    ]);
    store.update([ingress([{ hosts: ['one.test'], secretName: 'one' }, { hosts: ['*.wild.test'], secretName: 'wild' }, { hosts: ['broken.test'], secretName: 'broken' }, { hosts: ['missing.test'], secretName: 'missing' }])], secrets);
    assert.equal(await presentedCN(store, 'one.test'), 'one.test');
    assert.equal(await presentedCN(store, 'ONE.test'), 'one.test');
    assert.equal(await presentedCN(store, 'a.wild.test'), '*.wild.test');
    assert.equal(await presentedCN(store, 'a.b.wild.test'), 'fallback');
    assert.equal(await presentedCN(store, 'broken.test'), 'fallback', 'an unusable secret is skipped');
    assert.equal(await presentedCN(store, 'missing.test'), 'fallback');
  });

  it('follows a Secret update and forgets removed Ingress TLS entries', async () => {
    const store = new CertificateStore(silentLogger, selfSignedCertificate('fallback'));
    const ing = ingress([{ hosts: ['r.test'], secretName: 'r' }]);
    store.update([ing], new Map([['default/r', secret('r', selfSignedCertificate('first'), '1')]]));
    assert.equal(await presentedCN(store, 'r.test'), 'first');
    store.update([ing], new Map([['default/r', secret('r', selfSignedCertificate('second'), '2')]]));
    assert.equal(await presentedCN(store, 'r.test'), 'second');
    store.update([], new Map([['default/r', secret('r', selfSignedCertificate('second'), '2')]]));
    assert.equal(await presentedCN(store, 'r.test'), 'fallback');
  });
});
