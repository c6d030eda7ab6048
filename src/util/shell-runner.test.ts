import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShellRunner, shellQuote } from './shell-runner.js';

test('shellQuote leaves nothing for the shell to expand', () => {
  assert.equal(shellQuote("it's $HOME `x` \\"), `'it'\\''s $HOME \`x\` \\'`);
});

test('the helper shell runs words as given, in order, with exit codes and output (stderr too)', async () => {
  const sh = new ShellRunner();
  try {
    assert.deepEqual(await sh.run(['echo', "a b 'c' $HOME"]), { code: 0, output: "a b 'c' $HOME" });
    assert.deepEqual(await sh.run(['sh', '-c', 'printf partial; echo oops >&2; exit 3']), { code: 3, output: 'partialoops' });
    assert.deepEqual(await sh.run(['true']), { code: 0, output: '' });
    // A command reading stdin gets nothing, not the commands queued behind it.
    const [cat, after] = await Promise.all([sh.run(['cat']), sh.run(['echo', 'after'])]);
    assert.deepEqual(cat, { code: 0, output: '' });
    assert.deepEqual(after, { code: 0, output: 'after' });
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => sh.run(['echo', String(i)])));
    assert.deepEqual(many.map((r) => r.output), Array.from({ length: 50 }, (_, i) => String(i)));
    assert.equal((await sh.run(['/nonexistent/binary'])).code, 127);
  } finally {
    sh.close();
  }
});

test('a helper shell that dies fails what it had queued; the next command starts a new one', async () => {
  const sh = new ShellRunner();
  try {
    await assert.rejects(sh.run(['sh', '-c', 'kill -9 $PPID; sleep 5']), /helper shell exited/);
    assert.deepEqual(await sh.run(['echo', 'again']), { code: 0, output: 'again' });
  } finally {
    sh.close();
  }
});
