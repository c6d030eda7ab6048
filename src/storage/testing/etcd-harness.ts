// Starts real etcd processes for tests and benchmarks: loopback only, free
// ports, a private data dir per member, and nothing left running afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../testing/free-port.js';
import { scaled } from '../../testing/time-scale.js';

export interface EtcdMember {
  readonly name: string;
  /** PID of the running process, or undefined while it is stopped. */
  readonly pid: number | undefined;
  readonly clientUrl: string;
  readonly dataDir: string;
  /** Sends `signal` (default SIGKILL); for terminating signals, waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** (Re)starts the member on the same ports and data dir, and waits until it is healthy. */
  start(): Promise<void>;
  /** True when the member answers /health with health=true. */
  healthy(): Promise<boolean>;
}

export interface EtcdCluster {
  endpoints: string[];
  members: EtcdMember[];
  /** Index of the current leader, as the live members report it. */
  leaderIndex(): Promise<number>;
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  members: 1 | 3;
  /** Parent of the data dirs; defaults to /dev/shm when present (no disk fsync), else the OS temp dir. */
  dataRoot?: string;
  /** How long to wait for readiness. */
  startTimeoutMs?: number;
}

export class EtcdHarnessError extends Error {
  override name = 'EtcdHarnessError';
}

const running = new Set<ChildProcess>();
const dataRoots = new Set<string>();
const killAll = () => {
  for (const child of running) if (child.pid) safeKill(child.pid, 'SIGKILL');
  for (const root of dataRoots) fs.rmSync(root, { recursive: true, force: true });
};
// A crashed or interrupted test run (the test runner sends SIGTERM on a
// timeout) must not leave etcd behind.
process.on('exit', killAll);
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killAll();
    process.kill(process.pid, sig); // our listener is gone: default action now
  });
}

function safeKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function checkHealth(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: unknown };
    return body.health === 'true' || body.health === true;
  } catch {
    return false;
  }
}

function defaultDataRoot(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

class Member implements EtcdMember {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderrTail = '';

  constructor(
    readonly name: string,
    readonly clientUrl: string,
    readonly dataDir: string,
    private readonly args: string[],
    private readonly startTimeoutMs: number,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  healthy(): Promise<boolean> {
    return checkHealth(this.clientUrl);
  }

  /** Spawns the process without waiting for health (a 3-member cluster needs all of them up first). */
  spawn(): void {
    if (this.child) throw new EtcdHarnessError(`${this.name} is already running`);
    const child = spawn('etcd', this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    running.add(child);
    child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', () => {
        running.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
      child.on('error', (err) => {
        this.stderrTail += `\nspawn error: ${err.message}`;
      });
    });
  }

  async waitHealthy(): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new EtcdHarnessError(`etcd ${this.name} exited during start:\n${this.stderrTail}`);
      if (await this.healthy()) return;
      await delay(50); // polling interval, not synchronisation
    }
    throw new EtcdHarnessError(`etcd ${this.name} not healthy after ${this.startTimeoutMs} ms:\n${this.stderrTail}`);
  }

  async start(): Promise<void> {
    this.spawn();
    await this.waitHealthy();
  }

  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    safeKill(pid, signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') await this.exited;
    // kill() only queues the signal: a thread already on the other CPU could still answer a
    // request sent right after. Frozen means the kernel says so.
    if (signal === 'SIGSTOP') await waitForState(pid, (state) => state === 'T');
    if (signal === 'SIGCONT') await waitForState(pid, (state) => state !== 'T');
  }
}

export async function startEtcdCluster(options: EtcdClusterOptions): Promise<EtcdCluster> {
  const root = fs.mkdtempSync(path.join(options.dataRoot ?? defaultDataRoot(), 'kubets-etcd-'));
  dataRoots.add(root);
  const count = options.members;
  const ports: { client: number; peer: number }[] = [];
  const taken = new Set<number>();
  while (ports.length < count) {
    const client = await freePort();
    const peer = await freePort();
    if (client === peer || taken.has(client) || taken.has(peer)) continue;
    taken.add(client).add(peer);
    ports.push({ client, peer });
  }
  const names = ports.map((_, i) => `m${i}`);
  const initialCluster = ports.map((p, i) => `${names[i]}=http://127.0.0.1:${p.peer}`).join(',');
  const token = path.basename(root);
  const members = ports.map((p, i) => {
    const name = names[i]!;
    const clientUrl = `http://127.0.0.1:${p.client}`;
    const peerUrl = `http://127.0.0.1:${p.peer}`;
    const dataDir = path.join(root, name);
    const args = [
      '--name', name,
      '--data-dir', dataDir,
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', initialCluster,
      '--initial-cluster-token', token,
      '--initial-cluster-state', 'new',
      '--logger', 'zap',
      '--log-level', 'error',
      // Raft's timers stretch with the host: on a starved one, heartbeats that arrive
      // late at the default 100 ms / 1 s start elections and fail requests mid-test.
      '--heartbeat-interval', String(scaled(100)),
      '--election-timeout', String(scaled(1000)),
    ];
    return new Member(name, clientUrl, dataDir, args, options.startTimeoutMs ?? scaled(20_000));
  });

  const stop = async () => {
    await Promise.all(members.map((m) => m.stop('SIGKILL')));
    fs.rmSync(root, { recursive: true, force: true });
    dataRoots.delete(root);
  };
  try {
    for (const m of members) m.spawn();
    await Promise.all(members.map((m) => m.waitHealthy()));
  } catch (err) {
    await stop();
    throw err;
  }

  const leaderIndex = async (): Promise<number> => {
    const ids: string[] = [];
    let leader = '';
    for (const m of members) {
      try {
        const res = await fetch(`${m.clientUrl}/v3/maintenance/status`, {
          method: 'POST',
          body: '{}',
          signal: AbortSignal.timeout(1000),
        });
        const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
        ids.push(body.header?.member_id ?? '');
        if (body.leader && body.leader !== '0') leader = body.leader;
      } catch {
        ids.push('');
      }
    }
    const idx = ids.indexOf(leader);
    if (!leader || idx < 0) throw new EtcdHarnessError('no leader reported by the live members');
    return idx;
  };

  return { endpoints: members.map((m) => m.clientUrl), members, leaderIndex, stop };
}

/** Waits until the state letter of every thread of `pid` (/proc/PID/task/TID/stat) passes `ok`, or the process is gone. */
async function waitForState(pid: number, ok: (state: string) => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let states: string[];
    try {
      states = fs.readdirSync(`/proc/${pid}/task`).map((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\) /, '')[0] ?? '');
    } catch {
      return;
    }
    if (states.every(ok)) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} threads still in states ${states.join('')} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
