// cgroupfs helpers (v1, hybrid and v2): where each hierarchy is mounted, and
// removing a cgroup subtree in all of them (runc removes only the container
// leaf; the parent a kubelet or test made is its own to remove: runtime-notes 9).
import { readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Mount point per hierarchy key as /proc/PID/cgroup names it ("cpu,cpuacct", "name=systemd", "" for v2). */
export function cgroupMounts(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of mountinfo.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const mountPoint = pre.split(' ')[4]!;
    const [fstype, , superOpts = ''] = post.split(' ');
    if (fstype === 'cgroup2') out.set('', mountPoint);
    else if (fstype === 'cgroup') {
      const keys = superOpts.split(',').filter((o) => !['rw', 'ro'].includes(o) && !o.startsWith('release_agent') && o !== 'clone_children' && o !== 'noprefix' && o !== 'xattr');
      out.set(keys.join(','), mountPoint);
    }
  }
  return out;
}

function rmdirTree(dir: string): boolean {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return true; // not there
  }
  for (const e of entries) {
    const p = join(dir, e);
    try {
      if (statSync(p).isDirectory()) rmdirTree(p);
    } catch {
      // raced away
    }
  }
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the cgroup `path` (e.g. "/kubepods/pod123") and its children in
 * every mounted hierarchy. Returns the directories that could not be
 * removed (still holding processes).
 */
export function removeCgroupTree(path: string, mounts = cgroupMounts()): string[] {
  const rel = path.replace(/^\/+/, '');
  if (!rel) throw new Error('refusing to remove the root cgroup');
  const failed: string[] = [];
  for (const base of new Set(mounts.values())) {
    const dir = join(base, rel);
    if (!rmdirTree(dir)) failed.push(dir);
  }
  return failed;
}

/** Removes the leaf cgroups named by /proc/PID/cgroup lines ("N:controllers:/path"). Returns the lines still present. */
export function removeCgroupLines(lines: Iterable<string>, mounts = cgroupMounts()): string[] {
  const left: string[] = [];
  for (const line of lines) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    const key = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    const base = mounts.get(key);
    if (!base || !path || path === '/') continue;
    try {
      rmdirSync(join(base, path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') left.push(line);
    }
  }
  return left;
}

/**
 * removeCgroupTree, retried until `timeoutMs`: a cgroup stays busy for a
 * moment after its last process was killed (until that process is reaped).
 */
export async function removeCgroupTreeEventually(path: string, timeoutMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failed = removeCgroupTree(path);
    if (!failed.length || Date.now() > deadline) return failed;
    await new Promise((r) => setTimeout(r, 50));
  }
}
