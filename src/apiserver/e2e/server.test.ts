// End to end: `kubets server` started as a process, driven by the real kubectl.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEtcdCluster } from '../../storage/testing/etcd-harness.js';
import { KUBECTL_VERSIONS, startServerProcess, type ServerProcess } from '../../testing/server-process.js';

describe('kubets server: start, credentials and shutdown', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => {
    await server?.stop();
  });

  for (const v of KUBECTL_VERSIONS) {
    it(`kubectl ${v} lists the system namespaces with the written kubeconfig`, async () => {
      const r = await server.kubectl(v, ['get', 'ns']);
      assert.equal(r.code, 0, r.stderr);
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(r.stdout, new RegExp(`^${ns}\\s+Active\\s+\\d+s`, 'm'));
      const version = await server.kubectl(v, ['version', '-o', 'json']);
      assert.equal(JSON.parse(version.stdout).serverVersion.gitVersion, 'v1.33.0+kubets');
    });
  }

  it('refuses anonymous requests with 401 and answers /readyz', async () => {
    const ca = fs.readFileSync(path.join(server.dataDir, 'pki/ca.crt'));
    const anon = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      https.get(`${server.url}/api/v1/namespaces`, { ca }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      }).on('error', reject);
    });
    assert.equal(anon.status, 401);
    assert.deepEqual(JSON.parse(anon.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    const ready = await server.kubectl('1.33', ['get', '--raw', '/readyz']);
    assert.equal(ready.stdout.trim(), 'ok');
  });

  it('stops cleanly on SIGTERM, and a restart reuses the credentials and data', async () => {
    await server.kubectl('1.33', ['create', 'namespace', 'keep-me', '--dry-run=client', '-o', 'yaml']).then(async (r) => {
      const created = await server.kubectl('1.33', ['create', '-f', '-', '--validate=false'], { input: r.stdout });
      assert.equal(created.code, 0, created.stderr);
    });
    const ca = await server.kubectl('1.33', ['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}']);
    const code = await server.stop({ keepData: true });
    assert.equal(code, 0);
    assert.match(server.logs(), /"msg":"API server stopped"/);
    const again = await startServerProcess({ dataDir: server.dataDir });
    try {
      const r = await again.kubectl('1.27', ['get', 'ns', 'keep-me', '-o', 'name']);
      assert.equal(r.stdout.trim(), 'namespace/keep-me');
      const ca2 = await again.kubectl('1.33', ['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}']);
      assert.equal(ca2.stdout, ca.stdout);
    } finally {
      await again.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});

describe('kubets server --datastore etcd', () => {
  it('serves kubectl from a real etcd, and keeps the data across a restart', async () => {
    const etcd = await startEtcdCluster({ members: 1 });
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess({ args: ['--datastore', 'etcd', '--etcd-endpoints', etcd.endpoints.join(',')] });
      assert.equal((await server.kubectl('1.33', ['create', 'configmap', 'in-etcd', '--from-literal=a=b'])).code, 0);
      assert.match((await server.kubectl('1.27', ['get', 'cm', 'in-etcd', '-o', 'name'])).stdout, /configmap\/in-etcd/);
      const dataDir = server.dataDir;
      await server.stop({ keepData: true });
      server = await startServerProcess({ dataDir, args: ['--datastore', 'etcd', '--etcd-endpoints', etcd.endpoints.join(',')] });
      assert.equal((await server.kubectl('1.33', ['get', 'cm', 'in-etcd', '-o', 'jsonpath={.data.a}'])).stdout, 'b');
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      server = undefined;
    } finally {
      await server?.stop();
      await etcd.stop();
    }
  });
});
