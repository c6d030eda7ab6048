import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeOrphanLocalPathDirs } from './local-path-gc.js';

test('removes only pvc-<uid>_<ns>_<name> directories whose PV is gone', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-lpgc-'));
  try {
    const live = 'pvc-1111aaaa-0000-0000-0000-000000000001_default_data';
    const dead = 'pvc-2222bbbb-0000-0000-0000-000000000002_shop_cache';
    for (const d of [live, dead, 'unrelated']) {
      await fs.mkdir(path.join(dir, d));
      await fs.writeFile(path.join(dir, d, 'f'), 'x');
    }
    const asked: string[] = [];
    const removed = await removeOrphanLocalPathDirs(dir, async (pv) => {
      asked.push(pv);
      return pv === 'pvc-1111aaaa-0000-0000-0000-000000000001';
    });
    assert.deepEqual(removed, [path.join(dir, dead)]);
    assert.deepEqual((await fs.readdir(dir)).sort(), [live, 'unrelated']);
    assert.deepEqual(asked.sort(), ['pvc-1111aaaa-0000-0000-0000-000000000001', 'pvc-2222bbbb-0000-0000-0000-000000000002']);
    assert.deepEqual(await removeOrphanLocalPathDirs(path.join(dir, 'missing'), async () => false), []);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
