// containerd's state directory (sockets, task bundles, netns and shm mounts,
// the OCI runtime's container state) is volatile by design: containerd keeps
// it under /run, a tmpfs, and expects it gone after a reboot. Ours lives under
// the agent's data dir, so the agent mounts a tmpfs there. On a disk that
// costs every pod start several inode allocations and every stop as many
// deletions; on an ext4 without a journal each allocation also scans past the
// inodes deleted in the last seconds, which under pod churn made the runtime
// half again as expensive (README, bench:podstartup).
import { mkdirSync, readdirSync } from 'node:fs';
import type { Logger } from '../../util/log.js';
import { isMountPoint } from '../mounts.js';
import { systemMounter } from '../../kubelet/volumes/mounter.js';

export type VolatileStateResult = 'mounted' | 'already-mounted' | 'kept-on-disk';

/**
 * Mounts a tmpfs on `dir` unless something is mounted there already (an agent
 * restart: the containers' state must survive it) or it already holds state
 * written to disk by an earlier agent, which a mount would hide from the
 * containerd about to adopt it. A failed mount leaves the state on disk.
 */
export async function ensureVolatileState(dir: string, log: Logger): Promise<VolatileStateResult> {
  mkdirSync(dir, { recursive: true });
  if (isMountPoint(dir)) return 'already-mounted';
  if (readdirSync(dir).length > 0) {
    log.info('containerd state stays on disk: the directory already holds state', { dir });
    return 'kept-on-disk';
  }
  try {
    await systemMounter.mountTmpfs(dir, { mode: 0o711 });
  } catch (err) {
    log.warn('could not mount a tmpfs for containerd state; it stays on disk', { dir, err: (err as Error).message });
    return 'kept-on-disk';
  }
  return 'mounted';
}
