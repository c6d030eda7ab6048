import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { clientConfigFromKubeconfig, KubeconfigError, loadKubeconfig } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const doc = {
  'current-context': 'a',
  clusters: [
    { name: 'c1', cluster: { server: 'https://10.0.0.1:6443/', 'certificate-authority-data': b64('CA1') } },
    { name: 'c2', cluster: { server: 'https://10.0.0.2:6443', 'insecure-skip-tls-verify': true } },
  ],
  users: [
    { name: 'u1', user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } },
    { name: 'u2', user: { token: 'secret-token' } },
  ],
  contexts: [
    { name: 'a', context: { cluster: 'c1', user: 'u1' } },
    { name: 'b', context: { cluster: 'c2', user: 'u2', namespace: 'team' } },
  ],
};

describe('kubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-client-kc-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('uses the current context with inline certificate data', () => {
    const cfg = clientConfigFromKubeconfig(doc);
    assert.equal(cfg.server, 'https://10.0.0.1:6443');
    assert.equal(cfg.ca?.toString(), 'CA1');
    assert.equal(cfg.cert?.toString(), 'CERT');
    assert.equal(cfg.key?.toString(), 'KEY');
    assert.equal(cfg.token, undefined);
    assert.equal(cfg.insecureSkipTLSVerify, undefined);
  });

  it('selects a named context: token, insecure flag, namespace', () => {
    const cfg = clientConfigFromKubeconfig(doc, { context: 'b' });
    assert.deepEqual(cfg, { server: 'https://10.0.0.2:6443', token: 'secret-token', insecureSkipTLSVerify: true, namespace: 'team' });
  });

  it('reads file paths relative to the kubeconfig and a token file', () => {
    fs.writeFileSync(path.join(dir, 'ca.crt'), 'CAFILE');
    fs.writeFileSync(path.join(dir, 'token'), 'tok\n');
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(
      file,
      ['current-context: x', 'clusters:', '- name: c', '  cluster: {server: "https://h:1", certificate-authority: ca.crt}', 'users:', '- name: u', '  user: {tokenFile: token}', 'contexts:', '- name: x', '  context: {cluster: c, user: u}'].join('\n'),
    );
    const cfg = loadKubeconfig(file);
    assert.equal(cfg.ca?.toString(), 'CAFILE');
    assert.equal(cfg.token, 'tok');
  });

  it('reports missing pieces as KubeconfigError', () => {
    assert.throws(() => clientConfigFromKubeconfig({ ...doc, 'current-context': undefined }), KubeconfigError);
    assert.throws(() => clientConfigFromKubeconfig(doc, { context: 'nope' }), /context "nope" not found/);
    assert.throws(() => clientConfigFromKubeconfig('x'), KubeconfigError);
  });
});
