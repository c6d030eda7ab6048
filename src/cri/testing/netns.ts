// Network namespaces for tests: a fresh `kt-<random>` namespace with lo up,
// and running commands inside it with nsenter --net (not `ip netns exec`,
// which remounts /sys and hides the cgroup mounts: runtime-notes 1).
import { randomBytes } from 'node:crypto';
import { runCommand, type CommandResult, type RunOptions } from '../../agent/run-command.js';

export interface NetNs {
  name: string;
  path: string;
  run(cmd: string, args: string[], opts?: RunOptions): Promise<CommandResult>;
  delete(): Promise<void>;
}

export async function createNetNs(prefix = 'kt-'): Promise<NetNs> {
  const name = `${prefix}${randomBytes(4).toString('hex')}`;
  const path = `/run/netns/${name}`;
  await runCommand('ip', ['netns', 'add', name]);
  const run = (cmd: string, args: string[], opts?: RunOptions) => runCommand('nsenter', [`--net=${path}`, cmd, ...args], opts);
  try {
    await runCommand('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    // Forwarding inside this namespace only (never on the host).
    await run('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  } catch (err) {
    await runCommand('ip', ['netns', 'del', name], { allowFailure: true });
    throw err;
  }
  return {
    name,
    path,
    run,
    delete: async () => {
      await runCommand('ip', ['netns', 'del', name], { allowFailure: true });
    },
  };
}
