// ensureVolatileState against the real mount(8): a tmpfs on an empty dir,
// left alone when already mounted (agent restart) or holding on-disk state.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../util/log.js';
import { mountFsType, mountsUnder, unmountUnder } from '../mounts.js';
import { ensureVolatileState } from './volatile-state.js';

test('containerd state: a tmpfs on a fresh dir, kept across restarts, never over state already on disk', async () => {
  const dir = mkdtempSync('/tmp/kt-volatile-');
  try {
    const fresh = join(dir, 'fresh');
    assert.equal(await ensureVolatileState(fresh, silentLogger), 'mounted');
    assert.equal(mountFsType(fresh), 'tmpfs');
    writeFileSync(join(fresh, 'task'), 'x');
    assert.equal(await ensureVolatileState(fresh, silentLogger), 'already-mounted');
    assert.equal(readFileSync(join(fresh, 'task'), 'utf8'), 'x', 'a restart sees the same state');
    assert.deepEqual(mountsUnder(dir), [fresh], 'one mount, not a second on top');

    const old = join(dir, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'state-of-an-earlier-agent'), 'x');
    assert.equal(await ensureVolatileState(old, silentLogger), 'kept-on-disk');
    assert.equal(mountFsType(old), undefined);
  } finally {
    assert.deepEqual(await unmountUnder(dir), []);
    rmSync(dir, { recursive: true, force: true });
  }
});
