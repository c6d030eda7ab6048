// Unmounting everything left under a directory (overlay rootfs, netns bind
// mounts, shm) after a private containerd and its shims are gone; the mount
// table itself is read by util/mountinfo.ts.
import { runCommand } from './run-command.js';
import { mountsUnder } from '../util/mountinfo.js';

export { isMountPoint, mountFsType, mountPoints, mountsUnder } from '../util/mountinfo.js';

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
