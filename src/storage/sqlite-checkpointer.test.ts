import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { openSqliteStorage } from './sqlite.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-ckpt-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A checkpointer over a store that does not exist (its thread fails as it opens it), counting the writer's own checkpoints. */
function overMissingStore(thresholdBytes: number): { ckpt: SqliteCheckpointer; blocking: () => number } {
  let blocking = 0;
  const ckpt = new SqliteCheckpointer({ file: path.join(tmpRoot, 'missing', 'state.db'), synchronous: 'NORMAL' }, () => blocking++, { thresholdBytes });
  return { ckpt, blocking: () => blocking };
}

describe('SQLite checkpoints', () => {
  it('are run by the checkpoint thread, so the WAL is copied into the database file without the writer', async () => {
    const dir = path.join(tmpRoot, 'thread');
    const store = openSqliteStorage(dir, { checkpoints: { thresholdBytes: 64 * 1024 } });
    const dbFile = path.join(dir, 'state.db');
    const sizeBefore = fs.statSync(dbFile).size;
    const value = Buffer.alloc(4096, 'v');
    for (let i = 0; i < 100; i++) await store.create(`/ckpt/k${i}`, value);
    await store.log.checkpointsIdle();
    assert.ok(store.log.checkpointsCompleted() >= 1, 'the thread completed a checkpoint');
    // The writer never checkpoints (wal_autocheckpoint is 0): only the thread can have grown the file.
    assert.ok(fs.statSync(dbFile).size > sizeBefore + 64 * 1024, 'pages were copied into the database file');
    assert.equal(await store.count('/ckpt/'), 100);
    await store.close();
    const reopened = openSqliteStorage(dir);
    assert.equal(await reopened.count('/ckpt/'), 100);
    await reopened.close();
  });

  it('fall back to the writer when the thread cannot work', async () => {
    const { ckpt, blocking } = overMissingStore(10);
    ckpt.noteCommitted(10);
    await ckpt.idle();
    assert.equal(ckpt.completed, 0);
    ckpt.noteCommitted(10);
    assert.equal(blocking(), 1, 'the next checkpoint ran on the writer');
    await ckpt.close();
  });

  it('are not requested below the threshold, and the thread is not started for them', async () => {
    const { ckpt, blocking } = overMissingStore(1000);
    ckpt.noteCommitted(999);
    await ckpt.idle();
    assert.equal(ckpt.threadStarted, false);
    ckpt.noteCommitted(1);
    assert.equal(ckpt.threadStarted, true, 'the threshold reached starts it');
    await ckpt.close();
    assert.equal(blocking(), 0);
  });
});
