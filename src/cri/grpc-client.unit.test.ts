// CriClient against an in-process fake runtime on a unix socket: request
// encoding, int64-as-string, deadlines and error mapping, without containerd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CriClient, runtimeV1, withSchemeServerAddress } from './grpc-client.js';
import { CriError } from './types.js';
import { waitFor } from '../testing/wait-for.js';
import { scaled } from '../testing/time-scale.js';

let dir: string;
let server: grpc.Server;
let cri: CriClient;
const seen: Record<string, any> = {};

type Handler = (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => void;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kt-fake-cri-'));
  const pkg = runtimeV1();
  server = new grpc.Server();
  const runtime: Record<string, Handler> = {
    Version: (_c, cb) => cb(null, { version: '0.1.0', runtime_name: 'fake', runtime_version: '1', runtime_api_version: 'v1' }),
    ContainerStatus: (c, cb) => {
      if (c.request.container_id === 'missing') cb({ code: grpc.status.NOT_FOUND, details: 'no such container' });
      else cb(null, { status: { id: c.request.container_id, state: 'CONTAINER_RUNNING', created_at: '1795627067084825158', exit_code: 0 } });
    },
    StopContainer: (c, cb) => {
      seen.stop = c.request;
      cb(null, {});
    },
    ExecSync: (c, cb) => {
      seen.exec = c.request;
      if (c.request.cmd[0] === 'hang') return; // never answers: the deadline must fire
      cb(null, { stdout: Buffer.from('out'), stderr: Buffer.alloc(0), exit_code: 3 });
    },
    RemovePodSandbox: (_c, cb) => cb({ code: grpc.status.NOT_FOUND, details: 'gone' }),
    StartContainer: (_c, cb) => cb({ code: grpc.status.FAILED_PRECONDITION, details: 'not created' }),
    ListPodSandbox: (c, cb) => {
      seen.listPods = c.request;
      cb(null, { items: [] });
    },
  };
  const images: Record<string, Handler> = {
    ImageStatus: (_c, cb) => cb(null, {}),
    PullImage: (c, cb) => {
      seen.pull = c.request;
      cb(null, { image_ref: 'sha256:abc' });
    },
  };
  server.addService((pkg.RuntimeService as grpc.ServiceClientConstructor).service, runtime);
  server.addService((pkg.ImageService as grpc.ServiceClientConstructor).service, images);
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${join(dir, 'cri.sock')}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
  cri = new CriClient(join(dir, 'cri.sock'), { timeoutMs: scaled(2_000) });
});

after(async () => {
  cri?.close();
  server?.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('unary calls round-trip; int64 stays a decimal string', async () => {
  assert.equal((await cri.version()).runtime_name, 'fake');
  const st = await cri.containerStatus('c1');
  assert.equal(st?.created_at, '1795627067084825158');
  assert.equal(st?.state, 'CONTAINER_RUNNING');
  assert.equal(st?.finished_at, '0', 'defaults filled in');
  await cri.stopContainer('c1', 30);
  assert.equal(seen.stop.timeout, '30');
});

test('NotFound: null for status calls, done for idempotent removals', async () => {
  assert.equal(await cri.containerStatus('missing'), null);
  await cri.removePodSandbox('gone');
});

test('other errors become CriError with the code name', async () => {
  await assert.rejects(cri.startContainer('x'), (e: unknown) => e instanceof CriError && e.code === 'FailedPrecondition' && e.details === 'not created');
});

test('ExecSync: bytes as Buffers, timeout sent, our deadline beyond it', async () => {
  const r = await cri.execSync('c1', ['echo'], 1);
  assert.ok(Buffer.isBuffer(r.stdout));
  assert.equal(r.stdout.toString(), 'out');
  assert.equal(r.exit_code, 3);
  assert.equal(seen.exec.timeout, '1');
  const short = new CriClient(join(dir, 'cri.sock'), { timeoutMs: 200 });
  try {
    await assert.rejects(short.execSync('c1', ['hang'], 0), (e: unknown) => e instanceof CriError && e.code === 'DeadlineExceeded');
  } finally {
    short.close();
  }
});

test('filters and enums travel by name', async () => {
  await cri.listPodSandbox({ state: { state: 'SANDBOX_NOTREADY' }, label_selector: { app: 'a' } });
  assert.equal(seen.listPods.filter.state.state, 'SANDBOX_NOTREADY');
  assert.deepEqual(seen.listPods.filter.label_selector, { app: 'a' });
});

test('ImageStatus with an empty image is null; PullImage auth gets a scheme for containerd 1.6', async () => {
  assert.equal(await cri.imageStatus({ image: 'x' }), null);
  assert.equal(await cri.pullImage({ image: 'r:5000/a:1' }, { username: 'u', password: 'p', server_address: 'r:5000' }), 'sha256:abc');
  assert.equal(seen.pull.auth.server_address, 'https://r:5000');
  assert.equal(seen.pull.auth.username, 'u');
  assert.deepEqual(withSchemeServerAddress({ server_address: 'http://r' }), { server_address: 'http://r' });
  assert.deepEqual(withSchemeServerAddress({ username: 'u' }), { username: 'u' });
});

test('after the runtime goes away and comes back, the same client reconnects promptly', async () => {
  const sock = join(dir, 'flappy.sock');
  const pkg = runtimeV1();
  const serve = async () => {
    const srv = new grpc.Server();
    srv.addService((pkg.RuntimeService as grpc.ServiceClientConstructor).service, {
      Version: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { runtime_name: 'flappy' }),
    });
    await new Promise<void>((resolve, reject) => srv.bindAsync(`unix://${sock}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
    return srv;
  };
  const client = new CriClient(sock, { timeoutMs: scaled(1_000) });
  try {
    const first = await serve();
    assert.equal((await client.version()).runtime_name, 'flappy');
    first.forceShutdown();
    rmSync(sock, { force: true });
    await assert.rejects(client.version(), (e: unknown) => e instanceof CriError && (e.code === 'Unavailable' || e.code === 'DeadlineExceeded'));
    // Let grpc's back-off grow a little while the runtime is down.
    await assert.rejects(client.version());
    await assert.rejects(client.version());
    const second = await serve();
    try {
      const t0 = Date.now();
      await waitFor(async () => (await client.version()).runtime_name === 'flappy', { timeoutMs: 10_000, what: 'reconnect' });
      assert.ok(Date.now() - t0 < scaled(4_000), `reconnected after ${Date.now() - t0} ms`);
    } finally {
      second.forceShutdown();
    }
  } finally {
    client.close();
  }
});
