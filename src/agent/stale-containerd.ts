// After a `kill -9` of the agent its containerd lives on (containers keep
// running under their shims). A new agent replaces that containerd, not the
// containers: the new one reconnects to the running shims, so nothing restarts.
import { isAlive, listProcesses } from './processes.js';

/** containerd processes started with this config file (never other instances, never shims). */
export function staleContainerds(configFile: string): number[] {
  return listProcesses()
    .filter((p) => /(^|\/)containerd$/.test(p.argv[0] ?? '') && p.argv.includes(configFile))
    .map((p) => p.pid);
}

export async function stopStaleContainerds(configFile: string, graceMs = 10_000): Promise<number[]> {
  const pids = staleContainerds(configFile);
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  return pids;
}
