// Process table from /proc: used to find (and end) exactly the shims and
// container processes of one private containerd, never anyone else's.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  argv: string[];
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parens: fields resume after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z') return null; // a zombie: nothing left to end
    const ppid = Number(rest[1]);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    return { pid, ppid, argv };
  } catch {
    return null; // gone meanwhile
  }
}

export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** All descendants of `pid` (children first level, then theirs...). */
export function descendants(pid: number, table: ProcInfo[] = listProcesses()): ProcInfo[] {
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of table) {
    const list = byParent.get(p.ppid) ?? [];
    list.push(p);
    byParent.set(p.ppid, list);
  }
  const out: ProcInfo[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** The v2 shims started by the containerd listening on `socket` (their -address argument). */
export function shimsOf(socket: string, table: ProcInfo[] = listProcesses()): ProcInfo[] {
  return table.filter((p) => {
    if (!p.argv[0]?.includes('containerd-shim')) return false;
    const i = p.argv.indexOf('-address');
    return i >= 0 && p.argv[i + 1] === socket;
  });
}

/** cgroup paths (per hierarchy line) of a process; empty if it is gone. */
export function cgroupsOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Running (not gone, not a zombie: on this VM PID 1 never reaps orphans). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
