// Mount points from /proc/self/mountinfo, and unmounting everything left
// under a directory (overlay rootfs, netns bind mounts, shm) after a
// private containerd and its shims are gone.
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { runCommand } from './run-command.js';

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function mountPoints(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''));
}

export function mountsUnder(dir: string, mountinfo?: string): string[] {
  const base = resolve(dir);
  return mountPoints(mountinfo).filter((m) => m === base || m.startsWith(base + sep));
}

/** The filesystem type mounted exactly at `dir` (the topmost mount there), if any. */
export function mountFsType(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string | undefined {
  const base = resolve(dir);
  const lines = mountinfo.split('\n').filter((l) => unescapeMountPath(l.split(' ')[4] ?? '') === base);
  // Fields after the " - " separator: fstype, source, super options.
  return lines.at(-1)?.split(' - ')[1]?.split(' ')[0];
}

/** True when `dir` itself is a mount point. */
export function isMountPoint(dir: string, mountinfo?: string): boolean {
  return mountPoints(mountinfo).includes(resolve(dir));
}

/** Unmounts every mount at or below `dir`, deepest first; lazily if busy. Returns what is still mounted. */
export async function unmountUnder(dir: string): Promise<string[]> {
  for (let round = 0; round < 3; round++) {
    const mounts = mountsUnder(dir).sort((a, b) => b.length - a.length);
    if (!mounts.length) return [];
    for (const m of mounts) {
      const r = await runCommand('umount', [m], { allowFailure: true });
      if (r.code !== 0) await runCommand('umount', ['-l', m], { allowFailure: true });
    }
  }
  return mountsUnder(dir);
}
