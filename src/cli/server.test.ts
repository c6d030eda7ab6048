// `kubets apiserver` that cannot start exits non-zero with the reason, even
// when it fails after its HTTPS listener is already open (that listener once
// kept the process alive after "cannot start").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { KUBETS_BIN, run } from '../testing/server-process.js';

let dataDir: string;

before(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-cli-server-'));
});

after(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('exits 1 with "cannot start" when its unix socket cannot be made after the HTTPS port is open', async () => {
  const socket = path.join(dataDir, 'no-such-dir', 'api.sock');
  const args = ['apiserver', '--data-dir', dataDir, '--bind-address', '127.0.0.1', '--port', '0', '--unix-socket', socket];
  const r = await run(process.execPath, [KUBETS_BIN, ...args], { timeoutMs: 60_000 });
  assert.equal(r.code, 1, `exit ${r.code} (128: still running after 60 s, killed):\n${r.stderr}`);
  assert.match(r.stderr, /cannot start/);
  assert.match(r.stderr, /api\.sock/); // the reason names the socket (libuv says EACCES for a missing directory)
});
