// A SIGTERM that arrives while a component is still starting stops it cleanly
// once it is up, instead of killing the process outright.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const signalsModule = fileURLToPath(new URL('./signals.js', import.meta.url));

/** Runs a script that imports signals.js as `s`; resolves with its exit code, signal and stdout. */
function runScript(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  // A component's listeners keep the process alive until it stops; `alive` stands in for them.
  const script = `const s = await import(${JSON.stringify(signalsModule)});\nconst log = { info() {}, error() {} };\nconst alive = setInterval(() => {}, 1000);\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out })));
}

test('a SIGTERM during start-up is held, and the component stops cleanly once it is up', async () => {
  const r = await runScript(`
    s.holdStopSignals();
    process.kill(process.pid, 'SIGTERM');
    await new Promise((r) => setImmediate(r)); // the signal has been delivered: still starting
    console.log('started');
    await s.runUntilSignal(async () => { console.log('stopped'); clearInterval(alive); }, log);
  `);
  assert.equal(r.signal, null, 'not killed by the signal');
  assert.equal(r.code, 0);
  assert.equal(r.out, 'started\nstopped\n');
});

test('a SIGTERM after start-up stops the component, once', async () => {
  const r = await runScript(`
    setTimeout(() => { process.kill(process.pid, 'SIGTERM'); process.kill(process.pid, 'SIGINT'); }, 50);
    await s.runUntilSignal(async () => { console.log('stopped'); clearInterval(alive); }, log);
  `);
  assert.equal(r.code, 0);
  assert.equal(r.out, 'stopped\n');
});

test('a start-up that never finishes still ends after a held signal', async () => {
  const r = await runScript(`
    s.holdStopSignals(100);
    process.kill(process.pid, 'SIGTERM');
    // starting forever: \`alive\` is never cleared
  `);
  assert.equal(r.code, 1);
});
