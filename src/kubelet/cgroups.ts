// Pod-level cgroups for the cgroupfs driver. runc creates and removes only a
// container's leaf (<parent>/<containerID>), so the kubelet owns the
// `<root>/<qos>/pod<uid>` level: made with the pod's limits before the
// sandbox starts, removed after the pod is gone. Also reads usage for stats.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Pod } from '../api/core-v1.js';
import { podQosClass } from '../api/qos.js';
import { podResourceConfig } from './config/resources.js';

export interface CgroupLayout {
  /** Where the hierarchies are mounted (/sys/fs/cgroup). */
  mountRoot: string;
  /** v1 hierarchy directory names under mountRoot (cpu, memory, ...); empty on a pure v2 host. */
  v1: string[];
  /** The v2 tree (mountRoot itself on a pure v2 host, mountRoot/unified on a hybrid one), if any. */
  v2?: string;
}

/** Finds the mounted hierarchies from /proc/self/mountinfo. */
export async function detectCgroupLayout(mountRoot = '/sys/fs/cgroup'): Promise<CgroupLayout> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  const v1: string[] = [];
  let v2: string | undefined;
  for (const line of info.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const mountPoint = pre.split(' ')[4] ?? '';
    const fstype = post.split(' ')[0];
    if (!mountPoint.startsWith(mountRoot)) continue;
    if (fstype === 'cgroup2') v2 = mountPoint;
    else if (fstype === 'cgroup') v1.push(path.relative(mountRoot, mountPoint));
  }
  return { mountRoot, v1: [...new Set(v1)].sort(), v2 };
}

export const podCgroupName = (uid: string) => `pod${uid}`;

async function writeIfExists(file: string, value: string): Promise<void> {
  try {
    await fs.writeFile(file, value);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

async function readTrim(file: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

export class PodCgroupManager {
  constructor(
    readonly layout: CgroupLayout,
    /** The cgroup all pods live under, e.g. /kubepods (a private one in tests). */
    readonly root = '/kubepods',
  ) {}

  /** The pod's cgroup path as the runtime's cgroup_parent wants it. */
  podCgroupPath(pod: Pod): string {
    const qos = podQosClass(pod.spec);
    const tier = qos === 'Guaranteed' ? '' : qos === 'Burstable' ? 'burstable' : 'besteffort';
    return path.posix.join(this.root, tier, podCgroupName(pod.metadata.uid ?? ''));
  }

  private dirs(cgroupPath: string): string[] {
    const out = this.layout.v1.map((h) => path.join(this.layout.mountRoot, h, cgroupPath));
    if (this.layout.v2) out.push(path.join(this.layout.v2, cgroupPath));
    return out;
  }

  private hierarchyDir(name: string, cgroupPath: string): string | undefined {
    const h = this.layout.v1.find((x) => x.split(',').includes(name));
    return h ? path.join(this.layout.mountRoot, h, cgroupPath) : undefined;
  }

  /** Creates (or updates) the pod's cgroup in every hierarchy with its limits; returns its path. */
  async ensure(pod: Pod): Promise<string> {
    const cgPath = this.podCgroupPath(pod);
    // Hierarchies are independent: create and configure them concurrently (this is on the pod start path).
    await Promise.all(this.dirs(cgPath).map((dir) => fs.mkdir(dir, { recursive: true })));
    const cfg = podResourceConfig(pod);
    const cpu = this.hierarchyDir('cpu', cgPath);
    const mem = this.hierarchyDir('memory', cgPath);
    await Promise.all([
      this.fillCpuset(cgPath),
      cpu &&
        (async () => {
          await writeIfExists(path.join(cpu, 'cpu.shares'), String(cfg.cpuShares));
          // The period before the quota: a quota is checked against the current period.
          await writeIfExists(path.join(cpu, 'cpu.cfs_period_us'), String(cfg.cpuPeriod));
          await writeIfExists(path.join(cpu, 'cpu.cfs_quota_us'), String(cfg.cpuQuota ?? -1));
        })(),
      mem && writeIfExists(path.join(mem, 'memory.limit_in_bytes'), cfg.memoryLimit !== undefined ? String(cfg.memoryLimit) : '-1'),
    ]);
    if (this.layout.v1.length === 0 && this.layout.v2) {
      const dir = path.join(this.layout.v2, cgPath);
      // cgroup v2 weight from shares, as runc converts it.
      await writeIfExists(path.join(dir, 'cpu.weight'), String(Math.round(1 + ((cfg.cpuShares - 2) * 9999) / 262142)));
      await writeIfExists(path.join(dir, 'cpu.max'), `${cfg.cpuQuota ?? 'max'} ${cfg.cpuPeriod}`);
      await writeIfExists(path.join(dir, 'memory.max'), cfg.memoryLimit !== undefined ? String(cfg.memoryLimit) : 'max');
    }
    return cgPath;
  }

  /** A new cpuset cgroup is empty and takes no tasks until cpus/mems are copied down from the parent. */
  private async fillCpuset(cgPath: string): Promise<void> {
    const h = this.layout.v1.find((x) => x.split(',').includes('cpuset'));
    if (!h) return;
    const base = path.join(this.layout.mountRoot, h);
    const parts = cgPath.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const dir = path.join(base, ...parts.slice(0, i));
      const parent = path.dirname(dir);
      for (const f of ['cpuset.cpus', 'cpuset.mems']) {
        const cur = await readTrim(path.join(dir, f));
        if (cur === '') await writeIfExists(path.join(dir, f), (await readTrim(path.join(parent, f))) ?? '');
      }
    }
  }

  /** Removes a pod's cgroup (any tier) everywhere, killing stragglers; idempotent. */
  async remove(podUid: string): Promise<void> {
    for (const tier of ['', 'burstable', 'besteffort']) {
      const cgPath = path.posix.join(this.root, tier, podCgroupName(podUid));
      await Promise.all(this.dirs(cgPath).map((dir) => removeCgroupDir(dir)));
    }
  }

  /** UIDs of pods with a cgroup under root (for clean-up after restarts). */
  async listPodUids(): Promise<string[]> {
    const first = this.layout.v1.includes('memory') ? path.join(this.layout.mountRoot, 'memory') : this.layout.v2 ?? path.join(this.layout.mountRoot, this.layout.v1[0] ?? '');
    const uids = new Set<string>();
    for (const tier of ['', 'burstable', 'besteffort']) {
      let names: string[] = [];
      try {
        names = await fs.readdir(path.join(first, this.root, tier));
      } catch {
        continue;
      }
      for (const n of names) if (n.startsWith('pod')) uids.add(n.slice(3));
    }
    return [...uids].sort();
  }

  /** Removes every cgroup under root that holds no process, deepest first (pods, then their tiers and root once empty); kills nothing. */
  async removeIdle(): Promise<void> {
    for (const dir of this.dirs(this.root)) await removeCgroupDir(dir, { kill: false });
  }

  /** Removes the QoS tiers and root when empty (test clean-up). */
  async removeRoot(): Promise<void> {
    for (const tier of ['burstable', 'besteffort', '']) {
      for (const dir of this.dirs(path.posix.join(this.root, tier))) await removeCgroupDir(dir);
    }
  }

  async stats(cgroupPath: string): Promise<CgroupStats> {
    return readCgroupStats(this.layout, cgroupPath);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * rmdir children first; a cgroup with processes is emptied by SIGKILL, then
 * retried briefly. With kill false a busy cgroup is left as it is.
 */
async function removeCgroupDir(dir: string, opts: { kill?: boolean } = {}): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) if (e.isDirectory()) await removeCgroupDir(path.join(dir, e.name), opts);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (opts.kill === false && (code === 'EBUSY' || code === 'ENOTEMPTY')) return;
      if (code !== 'EBUSY' || attempt >= 50) throw err;
      for (const pid of ((await readTrim(path.join(dir, 'cgroup.procs'))) ?? '').split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await pause(20);
    }
  }
}

export interface CgroupStats {
  /** Bytes charged, page cache included. */
  memoryUsageBytes?: number;
  /** Usage minus inactive file pages: what the OOM killer looks at. */
  memoryWorkingSetBytes?: number;
  /** Total CPU time in nanoseconds. */
  cpuUsageNanos?: bigint;
}

function statField(text: string | undefined, key: string): number | undefined {
  const m = text && new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Memory usage, working set and CPU time of one cgroup (v1 or v2). */
export async function readCgroupStats(layout: CgroupLayout, cgroupPath: string): Promise<CgroupStats> {
  const out: CgroupStats = {};
  const v1 = (name: string) => {
    const h = layout.v1.find((x) => x.split(',').includes(name));
    return h ? path.join(layout.mountRoot, h, cgroupPath) : undefined;
  };
  const mem = v1('memory');
  if (mem) {
    const usage = await readTrim(path.join(mem, 'memory.usage_in_bytes'));
    if (usage !== undefined) {
      out.memoryUsageBytes = Number(usage);
      const inactive = statField(await readTrim(path.join(mem, 'memory.stat')), 'total_inactive_file') ?? 0;
      out.memoryWorkingSetBytes = Math.max(0, out.memoryUsageBytes - inactive);
    }
  }
  const acct = v1('cpuacct');
  if (acct) {
    const u = await readTrim(path.join(acct, 'cpuacct.usage'));
    if (u !== undefined) out.cpuUsageNanos = BigInt(u);
  }
  if (layout.v1.length === 0 && layout.v2) {
    const dir = path.join(layout.v2, cgroupPath);
    const cur = await readTrim(path.join(dir, 'memory.current'));
    if (cur !== undefined) {
      out.memoryUsageBytes = Number(cur);
      const inactive = statField(await readTrim(path.join(dir, 'memory.stat')), 'inactive_file') ?? 0;
      out.memoryWorkingSetBytes = Math.max(0, out.memoryUsageBytes - inactive);
    }
    const usec = statField(await readTrim(path.join(dir, 'cpu.stat')), 'usage_usec');
    if (usec !== undefined) out.cpuUsageNanos = BigInt(usec) * 1000n;
  }
  return out;
}
