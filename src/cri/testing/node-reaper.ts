// Clean-up of a test node when the test process dies without stop() (a
// crash, a runner timeout, kill -9). Runs detached, holding a pipe from the
// test process: "done" on the pipe means the node was stopped normally;
// end-of-file without it means the owner died, so it removes the shims and
// containers, mounts, cgroups, the namespace and the directory itself.
// Started as: node node-reaper.js '<json ReaperSpec>'
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killInstanceProcesses } from '../../agent/containerd/supervisor.js';
import { containerdLayout } from '../../agent/containerd/config.js';
import { unmountUnder } from '../../agent/mounts.js';
import { removeCgroupTreeEventually } from '../../agent/cgroups.js';
import { runCommand } from '../../agent/run-command.js';
import { descendants, listProcesses } from '../../agent/processes.js';

export interface ReaperSpec {
  dir: string;
  containerdDir: string;
  netns: string;
  cgroupParent: string;
}

export interface Reaper {
  /** Tells the reaper the node was cleaned up normally; it exits. */
  dismiss(): void;
}

/** Starts a detached reaper for a node; it outlives this process on purpose. */
export function startReaper(spec: ReaperSpec): Reaper {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(spec)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  child.stdin!.on('error', () => {});
  return {
    dismiss: () => {
      child.stdin!.end('done\n');
    },
  };
}

async function reap(spec: ReaperSpec): Promise<void> {
  // containerd dies with its parent (pdeathsig); its shims and containers do not.
  const layout = containerdLayout(spec.containerdDir);
  for (const p of listProcesses()) {
    if (p.argv[0]?.endsWith('containerd') && p.argv.includes(layout.configFile)) {
      for (const d of [p, ...descendants(p.pid)]) {
        try {
          process.kill(d.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }
  await killInstanceProcesses(layout);
  await unmountUnder(spec.dir);
  await removeCgroupTreeEventually(spec.cgroupParent);
  await runCommand('ip', ['netns', 'del', spec.netns], { allowFailure: true });
  rmSync(spec.dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = JSON.parse(process.argv[2]!) as ReaperSpec;
  let input = '';
  process.stdin.on('data', (d: Buffer) => (input += d.toString()));
  process.stdin.on('end', () => {
    if (input.includes('done')) process.exit(0);
    reap(spec).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
