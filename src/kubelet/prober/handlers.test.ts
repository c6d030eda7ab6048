import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { FakeRuntime } from '../../cri/fake-runtime.js';
import { runHandler } from './handlers.js';

let server: http.Server;
let port: number;
before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/' }).end();
      return;
    }
    res.writeHead(req.url === '/ok' ? 200 : 500).end(String(req.headers['x-probe'] ?? ''));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

// Probe timeouts (seconds) no test here is about: a loaded host has taken over 1 s for a loopback GET.
const T = 30;
const runtime = new FakeRuntime();
const target = () => ({ containerId: 'x', podIP: '127.0.0.1', container: { name: 'c', ports: [{ name: 'web', containerPort: port }] } });

test('httpGet: 2xx and 3xx pass, others fail; named ports resolve', async () => {
  assert.equal((await runHandler(runtime, { httpGet: { path: '/ok', port: 'web' } }, target(), T)).ok, true);
  assert.equal((await runHandler(runtime, { httpGet: { path: '/redirect', port } }, target(), T)).ok, true);
  const bad = await runHandler(runtime, { httpGet: { path: '/bad', port } }, target(), T);
  assert.equal(bad.ok, false);
  assert.match(bad.message, /500/);
  assert.equal((await runHandler(runtime, { httpGet: { port: 'nope' } }, target(), T)).ok, false);
});

test('tcpSocket: an open port passes, a closed one fails', async () => {
  assert.equal((await runHandler(runtime, { tcpSocket: { port } }, target(), T)).ok, true);
  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const freePort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  assert.equal((await runHandler(runtime, { tcpSocket: { port: freePort } }, target(), T)).ok, false);
});

test('exec: exit code 0 passes; errors fail', async () => {
  const rt = new FakeRuntime({ images: ['i'] });
  rt.execHandler = (_id, cmd) => ({ stdout: Buffer.from('out'), stderr: Buffer.alloc(0), exit_code: cmd[0] === 'ok' ? 0 : 7 });
  const sb = await rt.runPodSandbox({ metadata: { name: 'p', uid: 'u', namespace: 'd', attempt: 0 }, hostname: '', log_directory: '', port_mappings: [], labels: {}, annotations: {} });
  const cfg = { metadata: { name: 'c', attempt: 0 }, image: { image: 'i' }, command: [], args: [], working_dir: '', envs: [], mounts: [], labels: {}, annotations: {}, log_path: '', stdin: false, stdin_once: false, tty: false };
  const id = await rt.createContainer(sb, cfg, {} as never);
  await rt.startContainer(id);
  const t = { containerId: id, podIP: '', container: { name: 'c' } };
  assert.equal((await runHandler(rt, { exec: { command: ['ok'] } }, t, T)).ok, true);
  const r = await runHandler(rt, { exec: { command: ['no'] } }, t, T);
  assert.equal(r.ok, false);
  assert.match(r.message, /exited with 7/);
  assert.equal((await runHandler(rt, { exec: { command: ['ok'] } }, { ...t, containerId: 'missing' }, T)).ok, false);
});

test('grpc: the standard health service answers SERVING or not', async () => {
  const grpc = await import('@grpc/grpc-js');
  const server = new grpc.Server();
  const statuses: Record<string, number> = { '': 1, db: 2 };
  server.register(
    '/grpc.health.v1.Health/Check',
    (call: { request: Buffer }, cb: (err: null, res: number) => void) => {
      // request: field 1 (service), length-delimited
      const service = call.request.length > 2 ? call.request.subarray(2).toString('utf8') : '';
      cb(null, statuses[service] ?? 3);
    },
    (status: number) => Buffer.from([0x08, status]),
    (b: Buffer) => b,
    'unary',
  );
  const gport = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  try {
    const t = { containerId: 'x', podIP: '127.0.0.1', container: { name: 'c' } };
    assert.equal((await runHandler(runtime, { grpc: { port: gport } }, t, T)).ok, true);
    const bad = await runHandler(runtime, { grpc: { port: gport, service: 'db' } }, t, T);
    assert.equal(bad.ok, false);
    assert.match(bad.message, /NOT_SERVING/);
    assert.equal((await runHandler(runtime, { grpc: { port: 1 } }, t, T)).ok, false);
  } finally {
    server.forceShutdown();
  }
});
