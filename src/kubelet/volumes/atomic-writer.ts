// Writes a set of files into a volume directory so readers never see a mix of
// old and new contents (upstream's AtomicWriter layout): the files go into a
// fresh hidden timestamped directory, `..data` is a symlink to it swapped by
// rename, and each top-level user path is a symlink through `..data`.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, FileProjection>;

export class PayloadPathError extends Error {
  override name = 'PayloadPathError';
}

const DATA_LINK = '..data';
const TMP_LINK = '..data_tmp';

/** Paths must be relative, without `..` elements, and not start with `..`. */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new PayloadPathError('invalid path: must not be empty');
  if (path.isAbsolute(p)) throw new PayloadPathError(`invalid path "${p}": must be relative`);
  if (p.length > 4096) throw new PayloadPathError(`invalid path "${p}": too long`);
  if (p.split('/').includes('..')) throw new PayloadPathError(`invalid path "${p}": must not contain '..'`);
  if (p.startsWith('..')) throw new PayloadPathError(`invalid path "${p}": must not start with '..'`);
}

function timestampDirName(now: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const ts = `${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}`;
  return `..${ts}.${Math.floor(Math.random() * 1e9)}`;
}

async function readCurrent(dir: string, payload: Payload): Promise<boolean> {
  // True when the live data equals the payload exactly (same paths, bytes and modes).
  let dataDir: string;
  try {
    dataDir = path.join(dir, await fs.readlink(path.join(dir, DATA_LINK)));
  } catch {
    return false;
  }
  const existing = await listFiles(dataDir);
  if (existing.length !== payload.size) return false;
  for (const rel of existing) {
    const want = payload.get(rel);
    if (!want) return false;
    const full = path.join(dataDir, rel);
    const [st, data] = await Promise.all([fs.stat(full), fs.readFile(full)]);
    if ((st.mode & 0o7777) !== want.mode || !data.equals(want.data)) return false;
  }
  return true;
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, r)));
    else out.push(r);
  }
  return out;
}

/**
 * Makes `dir` show exactly `payload`; does nothing when it already does.
 * Returns whether anything changed.
 */
export async function writeAtomically(dir: string, payload: Payload, now: Date = new Date()): Promise<boolean> {
  for (const p of payload.keys()) validatePayloadPath(p);
  await fs.mkdir(dir, { recursive: true });
  if (await readCurrent(dir, payload)) return false;

  let oldTs: string | undefined;
  try {
    oldTs = await fs.readlink(path.join(dir, DATA_LINK));
  } catch {
    oldTs = undefined;
  }

  const tsName = timestampDirName(now);
  const tsDir = path.join(dir, tsName);
  await fs.mkdir(tsDir, { mode: 0o755 });
  for (const [rel, f] of payload) {
    const full = path.join(tsDir, rel);
    await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    await fs.writeFile(full, f.data);
    await fs.chmod(full, f.mode);
  }
  // Swap ..data in one rename: readers see the old set or the new one.
  const tmpLink = path.join(dir, TMP_LINK);
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(tsName, tmpLink);
  await fs.rename(tmpLink, path.join(dir, DATA_LINK));

  // User-visible top-level names point through ..data.
  const wanted = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const name of wanted) {
    const link = path.join(dir, name);
    try {
      if ((await fs.readlink(link)) === path.join(DATA_LINK, name)) continue;
    } catch {
      // missing, or not a link
    }
    await fs.rm(link, { recursive: true, force: true });
    await fs.symlink(path.join(DATA_LINK, name), link);
  }
  for (const e of await fs.readdir(dir)) {
    if (e.startsWith('..') || wanted.has(e)) continue;
    await fs.rm(path.join(dir, e), { recursive: true, force: true });
  }
  if (oldTs && oldTs !== tsName) await fs.rm(path.join(dir, oldTs), { recursive: true, force: true });
  return true;
}
