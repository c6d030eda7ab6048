import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { startLoopbackForwarder } from './forwarder.js';

it('pipes loopback TCP connections to the unix socket, both ways', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-fwd-'));
  const sock = path.join(dir, 's.sock');
  const echo = net.createServer((c) => c.on('data', (d) => c.write(`echo:${d}`)));
  await new Promise<void>((r) => echo.listen(sock, r));
  const fwd = await startLoopbackForwarder(sock);
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      const c = net.connect(fwd.port, '127.0.0.1', () => c.write('hi'));
      c.on('data', (d) => {
        resolve(String(d));
        c.destroy();
      });
      c.on('error', reject);
    });
    assert.equal(reply, 'echo:hi');
  } finally {
    await fwd.close();
    await new Promise<void>((r) => echo.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
