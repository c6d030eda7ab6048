// A private network namespace for tests that run real pods: loopback plus a
// dummy interface carrying the node's address, and no route out of the
// machine, so nothing a test does can reach the outside network.
import { randomBytes, randomInt } from 'node:crypto';
import { run, type RunResult } from './server-process.js';

export interface TestNetns {
  name: string;
  path: string;
  /** The node address inside the namespace (on a dummy interface). */
  nodeIP: string;
  /** Runs a command inside the namespace (network only, as runtime-notes advise). */
  exec(cmd: string, args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** The argv prefix that runs a program inside the namespace. */
  prefix: string[];
  remove(): Promise<void>;
}

async function ip(args: string[]): Promise<void> {
  const r = await run('ip', args);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

export async function createTestNetns(): Promise<TestNetns> {
  const name = `kt-${randomBytes(4).toString('hex')}`;
  // 172.31.x.0/24 lives only inside this namespace, which has no route out.
  const nodeIP = `172.31.${randomInt(1, 254)}.2`;
  await ip(['netns', 'add', name]);
  try {
    await ip(['-n', name, 'link', 'set', 'lo', 'up']);
    await ip(['-n', name, 'link', 'add', 'kt0', 'type', 'dummy']);
    await ip(['-n', name, 'addr', 'add', `${nodeIP}/24`, 'dev', 'kt0']);
    await ip(['-n', name, 'link', 'set', 'kt0', 'up']);
  } catch (err) {
    await run('ip', ['netns', 'delete', name]);
    throw err;
  }
  const path = `/run/netns/${name}`;
  const prefix = ['nsenter', `--net=${path}`, '--'];
  return {
    name,
    path,
    nodeIP,
    prefix,
    exec: (cmd, args, opts) => run(prefix[0]!, [...prefix.slice(1), cmd, ...args], opts),
    async remove() {
      await run('ip', ['netns', 'delete', name]);
    },
  };
}
