// k3s-style air-gapped images: imports every DIR/*.tar into the containerd
// `k8s.io` namespace with `ctr images import` (no --index-name, which would
// add import-<date> names: runtime-notes pitfall 6). The archives carry their
// names (see scripts/build-images.sh). An archive whose names already exist
// with the same digest is skipped.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../run-command.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { archiveImages } from './archive.js';
import { CRI_NAMESPACE } from './names.js';

export interface ImportOptions {
  socket: string;
  namespace?: string;
  ctrBin?: string;
  log?: Logger;
}

export interface ImportResult {
  imported: string[];
  skipped: string[];
}

/** name → target digest of the images containerd has in the namespace. */
export async function listContainerdImages(o: ImportOptions): Promise<Map<string, string>> {
  const r = await runCommand(o.ctrBin ?? 'ctr', ['-a', o.socket, '--connect-timeout', '60s', '-n', o.namespace ?? CRI_NAMESPACE, 'images', 'ls'], { timeoutMs: 30_000 });
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n').slice(1)) {
    const [ref, , digest] = line.split(/\s+/);
    if (ref && digest) out.set(ref, digest);
  }
  return out;
}

export async function importImageArchive(archive: string, o: ImportOptions): Promise<void> {
  // ctr gives up dialing after 10 s by default; a just-started containerd on a loaded machine has taken longer to answer.
  await runCommand(o.ctrBin ?? 'ctr', ['-a', o.socket, '--connect-timeout', '60s', '-n', o.namespace ?? CRI_NAMESPACE, 'images', 'import', archive], { timeoutMs: 300_000 });
}

/** Imports every *.tar in `dir` (missing dir = nothing to do). */
export async function importImageDir(dir: string, o: ImportOptions): Promise<ImportResult> {
  const log = (o.log ?? silentLogger).child({ component: 'image-import' });
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.tar')).sort();
  } catch {
    return { imported: [], skipped: [] };
  }
  const have = await listContainerdImages(o);
  const result: ImportResult = { imported: [], skipped: [] };
  for (const f of files) {
    const archive = join(dir, f);
    const names = await archiveImages(archive);
    const upToDate = names.length > 0 && names.every((n) => have.has(n.name) && (n.digest === undefined || have.get(n.name) === n.digest));
    if (upToDate) {
      result.skipped.push(archive);
      continue;
    }
    await importImageArchive(archive, o);
    log.info('imported image archive', { archive, names: names.map((n) => n.name) });
    result.imported.push(archive);
  }
  return result;
}
