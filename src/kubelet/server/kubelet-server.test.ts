import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import type { Pod } from '../../api/core-v1.js';
import type { RuntimeService, StreamRequest } from '../../cri/types.js';
import { ensurePki, issueClientCert, type CertKeyPair, type Pki } from '../../apiserver/pki/index.js';
import { startKubeletServer, type KubeletServer } from './index.js';
import { SpdyConnection } from './spdy/connection.js';
import { readResponseHead } from './runtime-dial.js';
import { waitFor } from '../../testing/wait-for.js';
import { rawWebSocket } from './testing/raw-websocket.js';
import { startFakeStreamingServer, type FakeStreamingServer } from './testing/fake-streaming-server.js';

const pod = (name: string, containers: string[]): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) } }) as Pod;

interface Reply {
  status: number;
  body: string;
}

describe('kubelet server', () => {
  let dir: string;
  let pki: Pki;
  let bob: CertKeyPair;
  let server: KubeletServer;
  let runtimeServer: FakeStreamingServer;
  const execCalls: StreamRequest[] = [];
  const pods = [pod('web', ['app']), pod('two', ['a', 'b'])];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-kserver-'));
    pki = await ensurePki(dir);
    bob = issueClientCert(pki, { commonName: 'bob', organizations: ['devs'] });
    await mkdir(join(dir, 'logs'));
    await writeFile(join(dir, 'logs', 'app.log'), '2026-11-25T10:00:01Z stdout F one\n2026-11-25T10:00:02Z stderr F two\n');
    runtimeServer = await startFakeStreamingServer({ exitCode: 3, stderr: 'bye\n', greeting: 'hi\n' });
    const runtime = {
      exec: async (r: StreamRequest) => {
        execCalls.push(r);
        return runtimeServer.url('exec');
      },
      attach: async () => runtimeServer.url('exec'),
      portForward: async () => runtimeServer.url('portforward'),
      containerStatus: async () => ({ state: 'CONTAINER_RUNNING' }),
      listContainers: async () => [],
      listPodSandbox: async () => [],
      listContainerStats: async () => [
        {
          attributes: { id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: { 'io.kubernetes.pod.uid': 'uid-web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.container.name': 'app' }, annotations: {} },
          cpu: { timestamp: '1', usage_core_nano_seconds: { value: '5000000' } },
          memory: { timestamp: '1', working_set_bytes: { value: '1048576' } },
        },
      ],
    } as unknown as RuntimeService;
    server = await startKubeletServer({
      port: 0,
      host: '127.0.0.1',
      certPem: pki.serving.certPem,
      keyPem: pki.serving.keyPem,
      clientCaPem: pki.ca.certPem,
      runtime,
      nodeName: 'node-1',
      pods: {
        listPods: () => pods,
        getPod: (ns, name) => pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name) ?? null,
        findContainer: (_ns, p, c, previous) => (p === 'web' && c === 'app' && !previous ? { containerId: 'c1', sandboxId: 's1', logPath: join(dir, 'logs', 'app.log') } : null),
        findSandbox: (_ns, p) => (p === 'web' ? { sandboxId: 's1' } : null),
      },
    });
  });

  after(async () => {
    await server.close();
    await runtimeServer.close();
    await rm(dir, { recursive: true, force: true });
  });

  const tls = (who: CertKeyPair | null) => (who ? { cert: who.certPem, key: who.keyPem } : {});

  function get(path: string, who: CertKeyPair | null = pki.kubeletClient): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: server.port, path, rejectUnauthorized: false, ...tls(who) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('requires a client certificate from the cluster CA, and system:masters by default', async () => {
    const anon = await get('/healthz', null);
    assert.equal(anon.status, 401);
    assert.equal(JSON.parse(anon.body).reason, 'Unauthorized');
    const forbidden = await get('/pods', bob);
    assert.equal(forbidden.status, 403);
    assert.match(JSON.parse(forbidden.body).message, /user=bob/);
    assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  });

  it('lists its pods and serves a stats summary', async () => {
    const list = JSON.parse((await get('/pods')).body);
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(list.items.map((p: Pod) => p.metadata.name), ['web', 'two']);
    const summary = JSON.parse((await get('/stats/summary')).body);
    assert.equal(summary.node.nodeName, 'node-1');
    assert.ok(summary.node.memory.workingSetBytes > 0);
    assert.ok(summary.node.cpu.usageCoreNanoSeconds > 0);
    assert.deepEqual(summary.pods[0].podRef, { name: 'web', namespace: 'default', uid: 'uid-web' });
    assert.equal(summary.pods[0].containers[0].memory.workingSetBytes, 1048576);
    assert.equal(summary.pods[0].cpu.usageCoreNanoSeconds, 5000000);
  });

  it('serves container logs with options, and Status errors', async () => {
    assert.deepEqual(await get('/containerLogs/default/web/app'), { status: 200, body: 'one\ntwo\n' });
    assert.equal((await get('/containerLogs/default/web/app?tailLines=1&timestamps=true')).body, '2026-11-25T10:00:02Z two\n');
    assert.equal((await get('/containerLogs/default/nope/app')).status, 404);
    assert.equal((await get('/containerLogs/default/web/other')).status, 404);
    const prev = await get('/containerLogs/default/web/app?previous=true');
    assert.equal(prev.status, 400);
    assert.match(JSON.parse(prev.body).message, /previous terminated container "app"/);
    assert.equal((await get('/containerLogs/default/web/app?tailLines=-2')).status, 400);
    assert.equal((await get('/exec/default/web/app?command=ls')).status, 400);
    assert.equal((await get('/nothing')).status, 404);
  });

  function wsExec(path: string, protocols: string[]) {
    return new WebSocket(`wss://127.0.0.1:${server.port}${path}`, protocols, { rejectUnauthorized: false, cert: pki.kubeletClient.certPem, key: pki.kubeletClient.keyPem });
  }

  it('bridges a v5 WebSocket exec to the runtime: stdout, stderr, stdin EOF and the exit status', async () => {
    const ws = wsExec('/exec/default/web/app?command=sh&command=-c&command=cat&stdin=true&stdout=true&stderr=true', ['v5.channel.k8s.io']);
    const got: Record<number, string> = {};
    const done = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d: Buffer) => {
      got[d[0]!] = (got[d[0]!] ?? '') + d.subarray(1).toString('utf8');
      if (d[0] === 1 && got[1] === 'hi\nABC') ws.send(Buffer.from([255, 0]));
    });
    await new Promise((resolve) => ws.on('open', resolve));
    assert.equal(ws.protocol, 'v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('abc')]));
    assert.equal(await done, 1000);
    assert.equal(got[1], 'hi\nABC');
    assert.equal(got[2], 'bye\n');
    const status = JSON.parse(got[3]!);
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
    assert.deepEqual(execCalls.at(-1), { container_id: 'c1', cmd: ['sh', '-c', 'cat'], tty: false, stdin: true, stdout: true, stderr: true });
  });

  it('refuses a WebSocket without a supported subprotocol, as an HTTP error', async () => {
    const ws = wsExec('/exec/default/web/app?command=ls&stdout=true', ['v3.channel.k8s.io']);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    assert.equal(status, 400);
  });

  it('proxies a SPDY exec upgrade to the runtime byte for byte', async () => {
    const sock = tlsConnect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false, cert: pki.kubeletClient.certPem, key: pki.kubeletClient.keyPem });
    await new Promise((resolve) => sock.once('secureConnect', resolve));
    sock.write(
      'POST /exec/default/web/app?command=date&stdout=1&stderr=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
        'X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: channel.k8s.io\r\n\r\n',
    );
    const head = await readResponseHead(sock);
    assert.equal(head.statusCode, 101);
    assert.equal(head.headers['x-stream-protocol-version'], 'v4.channel.k8s.io');
    const conn = new SpdyConnection(sock, head.rest);
    const err = conn.openStream({ streamtype: 'error' });
    const out = conn.openStream({ streamtype: 'stdout' });
    const errOut = conn.openStream({ streamtype: 'stderr' });
    const text = { out: '', err: '', status: '' };
    out.on('data', (d) => (text.out += d.toString()));
    errOut.on('data', (d) => (text.err += d.toString()));
    err.on('data', (d) => (text.status += d.toString()));
    await new Promise<void>((resolve) => conn.on('close', () => resolve()));
    assert.equal(text.out, 'hi\n');
    assert.equal(text.err, 'bye\n');
    assert.equal(JSON.parse(text.status).details.causes[0].message, '3');
    assert.equal(runtimeServer.requests.at(-1)!.path, '/exec/token123');
  });

  it('tunnels port-forward over a WebSocket into a SPDY upgrade to the runtime', async () => {
    // The ws client refuses kubectl's subprotocol name (not an HTTP token), so this client is hand-made.
    const ws = await rawWebSocket(server.port, '/portForward/default/web', 'SPDY/3.1+portforward.k8s.io', pki.kubeletClient);
    assert.equal(ws.protocol, 'SPDY/3.1+portforward.k8s.io');
    ws.send(Buffer.from('ping-'));
    ws.send(Buffer.from('pong'));
    await waitFor(() => ws.received() === 'ping-pong', 5000, 'echo through the tunnel');
    assert.deepEqual(runtimeServer.requests.at(-1), { path: '/portforward/token123', protocol: 'portforward.k8s.io' });
    ws.destroy();
    const noSandbox = await get('/portForward/default/two');
    assert.equal(noSandbox.status, 400);
  });
});
