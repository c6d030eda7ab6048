import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RuntimeContainer } from './runtime-pod.js';
import { CRI_ANNOTATIONS } from './seams.js';
import { criLogText, readTerminationMessage } from './termination-message.js';

test('the termination message comes from the file, or the log tail with FallbackToLogsOnError', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-term-'));
  try {
    const file = path.join(dir, 'termination-log');
    const log = path.join(dir, '0.log');
    fs.writeFileSync(file, 'bye');
    fs.writeFileSync(log, '2026-01-01T00:00:00.1Z stdout F line one\n2026-01-01T00:00:00.2Z stderr P par\n2026-01-01T00:00:00.3Z stderr F tial\n');
    const c = { exitCode: 1, logPath: log, mounts: [], annotations: { [CRI_ANNOTATIONS.terminationLogHostPath]: file } } as unknown as RuntimeContainer;
    assert.equal(await readTerminationMessage(c, { name: 'c' }), 'bye');
    fs.writeFileSync(file, '');
    assert.equal(await readTerminationMessage(c, { name: 'c' }), '');
    assert.equal(await readTerminationMessage(c, { name: 'c', terminationMessagePolicy: 'FallbackToLogsOnError' }), 'line one\npartial');
    assert.equal(await readTerminationMessage({ ...c, exitCode: 0 }, { name: 'c', terminationMessagePolicy: 'FallbackToLogsOnError' }), '');
    assert.equal(criLogText('garbage\n'), '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
