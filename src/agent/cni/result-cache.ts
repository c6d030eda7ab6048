// libcni caches each attachment's result in /var/lib/cni/results (a path
// containerd cannot move: runtime-notes 4). CNI DEL removes an entry, but
// sandboxes that die with their containerd never get a DEL, so their entries
// stay. Each entry names the sandbox's netns path, which for a private
// containerd lies under its state dir: that is how we know which are ours.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const CNI_RESULTS_DIR = '/var/lib/cni/results';

/** Removes the cached results whose netns lies under `stateDir`. Returns how many. */
export function removeCniResultsUnder(stateDir: string, resultsDir = CNI_RESULTS_DIR): number {
  let names: string[];
  try {
    names = readdirSync(resultsDir);
  } catch {
    return 0;
  }
  const needle = JSON.stringify(`${stateDir.replace(/\/+$/, '')}/`).slice(1, -1);
  let removed = 0;
  for (const name of names) {
    const path = join(resultsDir, name);
    try {
      if (readFileSync(path, 'utf8').includes(needle)) {
        rmSync(path, { force: true });
        removed++;
      }
    } catch {
      // vanished meanwhile
    }
  }
  return removed;
}
