// The API server's side of pods/log, exec, attach, portforward: locating the
// kubelet and the errors kubectl shows, without a kubelet behind it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { Pod } from '../../api/core-v1.js';
import { silentLogger } from '../../util/log.js';
import { ensurePki, issueClientCert, type CertKeyPair, type Pki } from '../pki/index.js';
import { startApiServer, type RunningApiServer } from '../server.js';
import { kubeletAddress, resolveContainer } from './pod-proxy.js';

const pod = (name: string, containers: string[], nodeName?: string, inits: string[] = []): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })), initContainers: inits.map((c) => ({ name: c, image: 'busybox' })) },
  }) as Pod;

describe('resolveContainer and kubeletAddress', () => {
  it('picks the only container, or requires a name and lists the choices', () => {
    assert.equal(resolveContainer(pod('p', ['a']), null), 'a');
    assert.equal(resolveContainer(pod('p', ['a', 'b']), 'b'), 'b');
    assert.throws(() => resolveContainer(pod('p', ['a', 'b'], undefined, ['i']), null), {
      code: 400,
      message: 'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]',
    });
    assert.throws(() => resolveContainer(pod('p', ['a']), 'z'), { code: 400, message: 'container z is not valid for pod p' });
  });

  it('uses the InternalIP and the daemon endpoint port (10250 by default)', () => {
    const node = (status: object) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status }) as never;
    assert.deepEqual(kubeletAddress(node({ addresses: [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '192.0.2.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1234 } } })), { host: '192.0.2.1', port: 1234 });
    assert.deepEqual(kubeletAddress(node({ addresses: [{ type: 'InternalIP', address: '192.0.2.1' }] })), { host: '192.0.2.1', port: 10250 });
    assert.throws(() => kubeletAddress(node({})), { code: 503 });
  });
});

describe('pod stream subresources through the API server', () => {
  let dir: string;
  let api: RunningApiServer;
  let pki: Pki;
  let bob: CertKeyPair;
  let deadPort = 0;

  function call(method: string, path: string, body?: object, who: CertKeyPair | null = pki.admin): Promise<{ status: number; body: string }> {
    const u = new URL(api.url);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: u.hostname, port: u.port, method, path, rejectUnauthorized: false, ...(who ? { cert: who.certPem, key: who.keyPem } : {}), headers: { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  }

  /** A raw upgrade request; returns the response status line and body. */
  function upgrade(path: string, who: CertKeyPair | null): Promise<string> {
    const u = new URL(api.url);
    return new Promise((resolve, reject) => {
      const s = tlsConnect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false, ...(who ? { cert: who.certPem, key: who.keyPem } : {}) }, () =>
        s.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`),
      );
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-podproxy-'));
    api = await startApiServer({ dataDir: dir, port: 0, logger: silentLogger });
    pki = await ensurePki(dir);
    bob = issueClientCert(pki, { commonName: 'bob' });
    // A port nothing listens on: the node's kubelet is down.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    assert.equal((await call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })).status, 201);
    const st = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: deadPort } } } };
    assert.equal((await call('PATCH', '/api/v1/nodes/n1/status', st)).status, 200);
    for (const p of [pod('two', ['a', 'b'], 'n1'), pod('one', ['a'], 'n1'), pod('unscheduled', ['a'])]) {
      assert.equal((await call('POST', '/api/v1/namespaces/default/pods', p)).status, 201);
    }
  });

  after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers log requests with upstream errors', async () => {
    const missing = await call('GET', '/api/v1/namespaces/default/pods/nope/log');
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).message, 'pods "nope" not found');
    const ambiguous = await call('GET', '/api/v1/namespaces/default/pods/two/log');
    assert.equal(ambiguous.status, 400);
    assert.equal(JSON.parse(ambiguous.body).message, 'a container name must be specified for pod two, choose one of: [a b]');
    const unscheduled = await call('GET', '/api/v1/namespaces/default/pods/unscheduled/log');
    assert.equal(unscheduled.status, 400);
    assert.equal(JSON.parse(unscheduled.body).message, 'pod unscheduled does not have a host assigned');
    const down = await call('GET', '/api/v1/namespaces/default/pods/one/log');
    assert.equal(down.status, 503);
    assert.match(JSON.parse(down.body).message, new RegExp(`127\\.0\\.0\\.1:${deadPort}`));
  });

  it('requires an upgrade for exec, authenticates and authorizes upgrades, and reports a dead kubelet', async () => {
    const plain = await call('POST', '/api/v1/namespaces/default/pods/one/exec?command=ls&stdout=true');
    assert.equal(plain.status, 400);
    assert.equal(JSON.parse(plain.body).message, 'Upgrade request required');
    assert.match(await upgrade('/api/v1/namespaces/default/pods/one/exec?command=ls&stdout=true', null), /^HTTP\/1\.1 401 /);
    const forbidden = await upgrade('/api/v1/namespaces/default/pods/one/exec?command=ls&stdout=true', bob);
    assert.match(forbidden, /^HTTP\/1\.1 403 /);
    assert.match(forbidden, /cannot create resource \\"pods\/exec\\"/);
    assert.match(await upgrade('/api/v1/namespaces/default/pods/one/exec?command=ls&stdout=true', pki.admin), /^HTTP\/1\.1 503 /);
    assert.match(await upgrade('/api/v1/namespaces/default/pods/two/attach?stdout=true', pki.admin), /^HTTP\/1\.1 400 [\s\S]*choose one of: \[a b\]/);
    assert.match(await upgrade('/api/v1/namespaces/default/pods/nope/portforward', pki.admin), /^HTTP\/1\.1 404 /);
  });
});
