// hostPath volumes: the path itself, after the `type` check.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { VolumeSetupError } from '../errors.js';

async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.stat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function checkHostPath(volume: string, p: string, type: string | undefined): Promise<string> {
  const st = await statOrNull(p);
  const fail = (msg: string) => new VolumeSetupError(volume, `hostPath type check failed: ${p} ${msg}`);
  switch (type ?? '') {
    case '':
      return p;
    case 'DirectoryOrCreate':
      if (!st) await fs.mkdir(p, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) throw fail('is not a directory');
      return p;
    case 'Directory':
      if (!st?.isDirectory()) throw fail('is not a directory');
      return p;
    case 'FileOrCreate':
      if (!st) {
        await fs.mkdir(path.dirname(p), { recursive: true, mode: 0o755 });
        await (await fs.open(p, 'a', 0o644)).close();
      } else if (!st.isFile()) throw fail('is not a file');
      return p;
    case 'File':
      if (!st?.isFile()) throw fail('is not a file');
      return p;
    case 'Socket':
      if (!st?.isSocket()) throw fail('is not a socket file');
      return p;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw fail('is not a character device');
      return p;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw fail('is not a block device');
      return p;
    default:
      throw new VolumeSetupError(volume, `unknown hostPath type "${type}"`);
  }
}
