import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { waitForLog } from './up.js';
import { scaled } from '../testing/time-scale.js';

it('waitForLog ignores what an earlier run left in the appended log', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-uplog-'));
  const file = path.join(dir, 'server.log');
  fs.writeFileSync(file, 'kubets server is running at https://old:6443\n');
  const from = fs.statSync(file).size;
  // The new run writes its line a moment later.
  const child = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').appendFileSync(${JSON.stringify(file)}, 'kubets server is running at https://new:6443\\n'), 300); setTimeout(() => {}, 600000)`], { stdio: 'ignore' });
  try {
    const m = await waitForLog(file, /is running at (https:\/\/\S+)/, child, scaled(10_000), from);
    assert.equal(m[1], 'https://new:6443');
    assert.equal((await waitForLog(file, /is running at (https:\/\/\S+)/, child, scaled(10_000)))[1], 'https://old:6443', 'from the start by default');
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
