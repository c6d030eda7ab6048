// Node-side clean-up for local-path volumes: the provisioner deletes the PV
// (and the directory only when it runs on that disk); each agent removes the
// `<storageDir>/pvc-<uid>_<ns>_<name>` directories whose PV no longer exists.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const DIR_NAME = /^(pvc-[0-9a-fA-F-]+)_[^_/]+_[^/]+$/;

/** Removes directories of deleted PVs; returns the directories removed. */
export async function removeOrphanLocalPathDirs(storageDir: string, pvExists: (name: string) => Promise<boolean>): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(storageDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const e of entries) {
    const m = DIR_NAME.exec(e);
    if (!m || (await pvExists(m[1]!))) continue;
    const dir = path.join(storageDir, e);
    await fs.rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
