// tmpfs and bind mounts through mount(8), and the node's mount table.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { mountsUnder } from '../../util/mountinfo.js';
import { ShellRunner } from '../../util/shell-runner.js';

const exec = promisify(execFile);

export class MountError extends Error {
  override name = 'MountError';
}

export interface Mounter {
  mountTmpfs(dir: string, opts: { sizeBytes?: bigint; mode?: number }): Promise<void>;
  unmount(dir: string): Promise<void>;
  /** Mount points under (or at) a directory, deepest first. */
  mountPointsUnder(dir: string): Promise<string[]>;
}

function tmpfsOptions(opts: { sizeBytes?: bigint; mode?: number }): string {
  const o = [`mode=${(opts.mode ?? 0o777).toString(8)}`];
  if (opts.sizeBytes !== undefined && opts.sizeBytes > 0n) o.push(`size=${opts.sizeBytes}`);
  return o.join(',');
}

/** Each mount and umount a child process of its own. */
export const systemMounter: Mounter = {
  async mountTmpfs(dir, opts) {
    try {
      await exec('mount', ['-t', 'tmpfs', '-o', tmpfsOptions(opts), 'tmpfs', dir]);
    } catch (err) {
      throw new MountError(`mount tmpfs on ${dir}: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
    }
  },
  async unmount(dir) {
    try {
      await exec('umount', [dir]);
    } catch (err) {
      throw new MountError(`umount ${dir}: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
    }
  },
  async mountPointsUnder(dir) {
    const under = mountsUnder(dir, await fs.readFile('/proc/self/mountinfo', 'utf8'));
    return [...new Set(under)].sort((a, b) => b.length - a.length);
  },
};

/** The same mounts, through one long-lived shell (see ShellRunner): what the agent uses. */
export function shellMounter(runner = new ShellRunner()): Mounter {
  const run = async (what: string, argv: string[]) => {
    const r = await runner.run(argv);
    if (r.code !== 0) throw new MountError(`${what}: ${r.output.trim() || `exit ${r.code}`}`);
  };
  return {
    mountTmpfs: (dir, opts) => run(`mount tmpfs on ${dir}`, ['mount', '-t', 'tmpfs', '-o', tmpfsOptions(opts), 'tmpfs', dir]),
    unmount: (dir) => run(`umount ${dir}`, ['umount', dir]),
    mountPointsUnder: (dir) => systemMounter.mountPointsUnder(dir),
  };
}

export async function isMountPoint(m: Mounter, dir: string): Promise<boolean> {
  return (await m.mountPointsUnder(dir)).includes(dir);
}
