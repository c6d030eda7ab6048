// runKubectl and streamKubectl repeat a command only when kubectl gave up on the TLS handshake.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KUBECTL_ATTEMPTS, runKubectl, streamKubectl } from './server-process.js';

let dir: string;
let fake: string;

/** A stand-in kubectl: fails with `message` on its first `failures` runs (counted in a file), then prints "ok". */
function env(failures: number, message: string): NodeJS.ProcessEnv {
  const counter = path.join(dir, `count-${Math.random().toString(36).slice(2)}`);
  return { ...process.env, COUNTER: counter, FAILURES: String(failures), MESSAGE: message };
}
const runs = (e: NodeJS.ProcessEnv) => fs.readFileSync(e.COUNTER!, 'utf8').length;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-run-kubectl-'));
  fake = path.join(dir, 'kubectl');
  fs.writeFileSync(fake, '#!/bin/sh\nprintf x >> "$COUNTER"\nif [ "$(wc -c < "$COUNTER")" -le "$FAILURES" ]; then echo "$MESSAGE" >&2; exit 1; fi\necho ok\n', { mode: 0o755 });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runKubectl', () => {
  const handshake = 'Unable to connect to the server: net/http: TLS handshake timeout';

  it('runs again after a TLS handshake timeout', async () => {
    const e = env(2, handshake);
    const r = await runKubectl(fake, ['get', 'ns'], { env: e });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'ok\n');
    assert.equal(runs(e), 3);
  });

  it(`gives up after ${KUBECTL_ATTEMPTS} attempts`, async () => {
    const e = env(KUBECTL_ATTEMPTS + 2, handshake);
    const r = await runKubectl(fake, ['get', 'ns'], { env: e });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /TLS handshake timeout/);
    assert.equal(runs(e), KUBECTL_ATTEMPTS);
  });

  it('returns any other failure at once', async () => {
    const e = env(1, 'Error from server (NotFound): namespaces "x" not found');
    const r = await runKubectl(fake, ['get', 'ns', 'x'], { env: e });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NotFound/);
    assert.equal(runs(e), 1);
  });
});

describe('streamKubectl', () => {
  it('starts kubectl again after a TLS handshake timeout, then resolves on the pattern', async () => {
    const e = env(2, 'Unable to connect to the server: net/http: TLS handshake timeout');
    const s = await streamKubectl(fake, ['logs', '-f', 'p'], /^(ok)$/m, { env: e });
    s.stop();
    assert.equal(s.match[1], 'ok');
    assert.equal(runs(e), 3);
  });

  it('rejects at once with the output when kubectl exits before the pattern for any other reason', async () => {
    const e = env(1, 'Error from server (NotFound): pods "p" not found');
    await assert.rejects(streamKubectl(fake, ['logs', '-f', 'p'], /never/, { env: e }), /exited 1 before \/never\/:[\s\S]*NotFound/);
    assert.equal(runs(e), 1);
  });
});
