import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyControl, readControlFile } from './control-file.js';
import { SimConfigError } from './errors.js';

test('readControlFile: missing or empty means none stopped; junk is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-sim-ctl-'));
  try {
    const f = path.join(dir, 'control.json');
    assert.deepEqual(readControlFile(f).stopped, new Set());
    fs.writeFileSync(f, '');
    assert.deepEqual(readControlFile(f).stopped, new Set());
    fs.writeFileSync(f, '{"stopped":["sim-node-3","sim-node-4"]}');
    assert.deepEqual(readControlFile(f).stopped, new Set(['sim-node-3', 'sim-node-4']));
    fs.writeFileSync(f, '{"stopped":"sim-node-3"}');
    assert.throws(() => readControlFile(f), SimConfigError);
    fs.writeFileSync(f, '{nope');
    assert.throws(() => readControlFile(f), SimConfigError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('applyControl stops new entries and resumes dropped ones, ignoring unknown nodes', async () => {
  const calls: string[] = [];
  const known = new Set(['a', 'b', 'c']);
  const sim = {
    stopHeartbeat: (n: string) => (calls.push(`stop ${n}`), known.has(n)),
    resumeHeartbeat: async (n: string) => (calls.push(`resume ${n}`), known.has(n)),
  };
  const r1 = await applyControl(sim, { stopped: new Set() }, { stopped: new Set(['a', 'zz']) });
  assert.deepEqual(r1, { stopped: ['a'], resumed: [] });
  const r2 = await applyControl(sim, { stopped: new Set(['a']) }, { stopped: new Set(['b']) });
  assert.deepEqual(r2, { stopped: ['b'], resumed: ['a'] });
  assert.deepEqual(calls, ['stop a', 'stop zz', 'stop b', 'resume a']);
});
