// Finding and ending a cluster's processes: the ones `cluster up` recorded,
// and anything else still inside the cluster's network namespaces (containerd
// shims, containers) found by namespace identity, not by name.
import fs from 'node:fs';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself hold spaces or parens.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A recorded pid may have been reused after a reboot or crash: only touch it if it still runs kubets. */
export function isKubetsProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => /kubets/.test(a));
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once every pid is gone. */
export async function stopProcesses(pids: number[], graceMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await pause(100);
  if (!pids.some(isAlive)) return;
  signal('SIGKILL');
  const hard = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < hard) await pause(50);
}

function nsId(p: string): string | undefined {
  try {
    const s = fs.statSync(p);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** Every process whose network namespace is one of `nsFiles` (/run/netns/X, or netns bind mounts). */
export function processesInNetns(nsFiles: string[]): number[] {
  const ids = new Set(nsFiles.map(nsId).filter((x): x is string => x !== undefined));
  if (!ids.size) return [];
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const id = nsId(`/proc/${pid}/ns/net`);
    if (id && ids.has(id) && isAlive(pid)) pids.push(pid);
  }
  return pids;
}
