// A private network namespace for tests that run real pods: loopback plus a
// veth pair (both ends inside) carrying the node's address. It has no route
// out of the machine, so nothing a test does can reach the outside network.
import { randomInt } from 'node:crypto';
import { createNetNs } from '../cri/testing/netns.js';
import { run, type RunResult } from './server-process.js';

export interface TestNetns {
  name: string;
  path: string;
  /** The node address inside the namespace. */
  nodeIP: string;
  /** Runs a command inside the namespace (network only, as runtime-notes advise). */
  exec(cmd: string, args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** The argv prefix that runs a program inside the namespace. */
  prefix: string[];
  remove(): Promise<void>;
}

export async function createTestNetns(): Promise<TestNetns> {
  const ns = await createNetNs();
  // 172.31.x.0/24 exists only inside this namespace. The kernel here has no
  // dummy interfaces, so the address sits on one end of a veth pair whose
  // other end stays in the namespace too.
  const nodeIP = `172.31.${randomInt(1, 254)}.2`;
  try {
    await ns.run('ip', ['link', 'add', 'kt0', 'type', 'veth', 'peer', 'name', 'kt0p']);
    await ns.run('ip', ['addr', 'add', `${nodeIP}/24`, 'dev', 'kt0']);
    await ns.run('ip', ['link', 'set', 'kt0p', 'up']);
    await ns.run('ip', ['link', 'set', 'kt0', 'up']);
  } catch (err) {
    await ns.delete();
    throw err;
  }
  const prefix = ['nsenter', `--net=${ns.path}`, '--'];
  return {
    name: ns.name,
    path: ns.path,
    nodeIP,
    prefix,
    exec: (cmd, args, opts) => run(prefix[0]!, [...prefix.slice(1), cmd, ...args], opts),
    remove: () => ns.delete(),
  };
}
