// The API server's --unix-socket: the same TLS API on a unix socket (it
// crosses network namespaces, so a host-side forwarder can reach it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { silentLogger } from '../util/log.js';
import { startApiServer, type RunningApiServer } from './server.js';

let server: RunningApiServer | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-unix-'));
after(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(socketPath: string, ca: string, p: string, creds: { cert?: Buffer; key?: Buffer } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ socketPath, path: p, ca, ...creds, servername: 'localhost', headers: { host: '127.0.0.1' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('serves the TLS API on the unix socket too, and removes it on close', async () => {
  const sock = path.join(dir, 'api.sock');
  server = await startApiServer({ dataDir: path.join(dir, 'data'), port: 0, datastore: 'sqlite', logger: silentLogger, unixSocket: sock });
  assert.equal(fs.statSync(sock).mode & 0o777, 0o600);
  const admin = loadKubeconfig(server.kubeconfigPath);
  const r = await get(sock, server.caPem, '/api/v1/namespaces/kube-system', { cert: admin.cert, key: admin.key });
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).metadata.name, 'kube-system');
  const anon = await get(sock, server.caPem, '/api/v1/namespaces');
  assert.equal(anon.status, 401, 'no credentials: the same authentication as the TCP port');
  await server.close();
  server = undefined;
  assert.equal(fs.existsSync(sock), false);
});
