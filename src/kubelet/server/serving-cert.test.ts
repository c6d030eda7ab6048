import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKubeletServingCert } from './serving-cert.js';

test('a self-signed serving certificate for the node, reused until the names change or it nears expiry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kt-kcert-'));
  try {
    const a = await ensureKubeletServingCert(join(dir, 'pki'), { nodeName: 'node-1', ips: ['127.0.0.1'] });
    const cert = new X509Certificate(a.certPem);
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.checkHost('node-1'), 'node-1');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    const again = await ensureKubeletServingCert(join(dir, 'pki'), { nodeName: 'node-1', ips: ['127.0.0.1'] });
    assert.equal(again.certPem, a.certPem);
    const moved = await ensureKubeletServingCert(join(dir, 'pki'), { nodeName: 'node-1', ips: ['192.0.2.9'] });
    assert.notEqual(moved.certPem, a.certPem);
    const later = await ensureKubeletServingCert(join(dir, 'pki'), { nodeName: 'node-1', ips: ['192.0.2.9'], now: new Date(Date.now() + 340 * 24 * 3600e3) });
    assert.notEqual(later.certPem, moved.certPem);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
