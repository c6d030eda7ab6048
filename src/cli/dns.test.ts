// `kubets dns` as a process: serves the cluster zone from a real API server,
// registers the kube-dns Service, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLUSTER_DNS_IP } from '../dns/addon.js';
import { dnsQuery } from '../dns/dns-client.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { freePort } from '../testing/free-port.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/kubets');

let cp: TestControlPlane;
before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
});
after(async () => {
  await cp.stop();
});

test('kubets dns serves the zone and registers kube-dns', async () => {
  const port = await freePort();
  await cp.client.services.create('default', { metadata: { name: 'hello' }, spec: { clusterIP: '10.43.5.5', ports: [{ name: 'http', port: 80 }] } });
  const child = spawn(process.execPath, [bin, 'dns', '--kubeconfig', cp.server.kubeconfigPath, '--listen', `127.0.0.1:${port}`, '--upstream', '127.0.0.1:9', '--register-address', '127.0.0.1', '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const r = await waitFor(async () => {
      const a = await dnsQuery('hello.default.svc.cluster.local', 'A', { port, timeoutMs: 500 });
      return a.rcode === 'NOERROR' ? a : undefined;
    }, { timeoutMs: 15_000, what: `kubets dns answering (stderr: ${stderr})` });
    assert.deepEqual(r.answers!.map((a) => ('data' in a ? a.data : undefined)), ['10.43.5.5']);
    const tcp = await dnsQuery('nope.default.svc.cluster.local', 'A', { port, transport: 'tcp' });
    assert.equal(tcp.rcode, 'NXDOMAIN');
    const svc = await waitFor(() => cp.client.services.get('kube-system', 'kube-dns'), 5000, 'kube-dns Service');
    assert.equal(svc.spec?.clusterIP, CLUSTER_DNS_IP);
    // The addon registers the Service first and its EndpointSlice after it.
    const slice = await waitFor(() => cp.client.endpointslices.get('kube-system', 'kube-dns'), 5000, 'kube-dns EndpointSlice');
    assert.deepEqual(slice.endpoints?.[0]?.addresses, ['127.0.0.1']);
    assert.equal(slice.ports?.[0]?.port, port);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
});
