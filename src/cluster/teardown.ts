// Undoing `cluster up` from its state file: stop the agents (they stop their
// containerd and pods), then the server, then anything still inside the
// cluster's namespaces; unmount what is left under DIR; delete the namespaces.
// Safe to run again, and after a killed `cluster up`.
import fs from 'node:fs';
import path from 'node:path';
import { removeCgroupTree } from '../agent/cgroups.js';
import { mountsUnder, unmountUnder } from '../agent/mounts.js';
import type { Logger } from '../util/log.js';
import { removeNetwork } from './network.js';
import { isAlive, isKubetsProcess, processesInNetns, stopProcesses } from './processes.js';
import { statePath, type ClusterState } from './state.js';
import { allNetns, clusterCgroupRoot } from './topology.js';

/** Network namespaces bind-mounted under `dir` (pods' namespaces in containerd's state): nsfs mounts in mountinfo. */
function netnsMountsUnder(dir: string): string[] {
  const nsfs = new Set(
    fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => / - nsfs /.test(l)).map((l) => l.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))),
  );
  return mountsUnder(dir).filter((m) => nsfs.has(m));
}

export async function teardown(dataDir: string, s: ClusterState, log: Logger): Promise<void> {
  const t = s.topology;
  const recorded = (names: string[]) => names.map((n) => s.pids[n]).filter((p): p is number => p !== undefined && isAlive(p) && isKubetsProcess(p));
  // Agents first: a clean agent stop ends its pods and containerd.
  await stopProcesses(recorded(t.agents.map((a) => a.name)), 45_000);
  await stopProcesses(recorded([t.server.name]), 20_000);
  // Whatever is left in the cluster's namespaces (shims, containers of a killed agent).
  const nsFiles = [...allNetns(t).map((n) => `/run/netns/${n}`).filter((f) => fs.existsSync(f)), ...netnsMountsUnder(dataDir)];
  const stray = processesInNetns(nsFiles);
  if (stray.length) {
    log.warn('killing processes left in the cluster namespaces', { pids: stray });
    await stopProcesses(stray, 2_000);
  }
  const cgLeft = removeCgroupTree(clusterCgroupRoot(t));
  if (cgLeft.length) log.warn('pod cgroups left', { cgLeft });
  const left = await unmountUnder(dataDir);
  if (left.length) log.warn('mounts left under the data dir', { left });
  const failed = await removeNetwork(t);
  if (failed.length) log.warn('namespaces not removed', { failed });
  fs.rmSync(statePath(dataDir), { force: true });
  fs.rmSync(path.join(dataDir, 'apiserver.sock'), { force: true });
}
