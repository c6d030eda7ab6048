// Runs a private containerd as a child process (optionally inside a network
// namespace), waits until its CRI answers, restarts it with back-off when it
// dies, and on stop() leaves nothing behind: no containerd, no shim or
// container process of this instance, no mount under its directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, openSync, closeSync, writeFileSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CriClient } from '../../cri/grpc-client.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { containerdConfigToml, containerdLayout, type ContainerdLayout } from './config.js';
import { writeRegistryHosts, type RegistryHost } from './registry-hosts.js';
import { cgroupsOf, descendants, isAlive, listProcesses, shimsOf } from '../processes.js';
import { unmountUnder } from '../mounts.js';
import { ensureVolatileState } from './volatile-state.js';
import { removeCgroupLines } from '../cgroups.js';
import { removeCniResultsUnder } from '../cni/result-cache.js';

export interface ContainerdSupervisorOptions {
  /** Instance directory: config, root, state, socket and log live here. Keep it short (socket paths max 107 bytes). */
  dir: string;
  sandboxImage: string;
  /** /run/netns/NAME: run containerd in that network namespace (nsenter --net, see runtime-notes 1). */
  netnsPath?: string;
  containerdBin?: string;
  /** Registries needing hosts.toml (plain HTTP, self-signed), written at start. */
  registries?: RegistryHost[];
  /** The OCI runtime binary (default runc). */
  runtimeBinary?: string;
  /** Replaces the generated config.toml. */
  configToml?: string;
  readyTimeoutMs?: number;
  /** SIGKILL containerd when this process dies (setpriv --pdeathsig; k3s does the same). Default true. Shims and containers survive and are adopted by the next start. */
  dieWithParent?: boolean;
  /** Keep containerd's state on a tmpfs mounted at start (volatile-state.ts). Default true. */
  volatileState?: boolean;
  /** SIGTERM → SIGKILL grace in stop(). */
  stopGraceMs?: number;
  backoff?: { initialMs: number; maxMs: number; resetAfterMs: number };
  log?: Logger;
  clock?: Clock;
}

export class ContainerdNotReadyError extends Error {
  override name = 'ContainerdNotReadyError';
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

export class ContainerdSupervisor {
  readonly layout: ContainerdLayout;
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: unknown;
  private pendingDelayMs: number | undefined;
  private nextBackoffMs: number;
  private startedAt = 0;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly backoff: { initialMs: number; maxMs: number; resetAfterMs: number };
  /** How many times containerd was started (1 after start()). */
  starts = 0;
  private startListeners: Array<() => void> = [];

  constructor(private readonly opts: ContainerdSupervisorOptions) {
    this.layout = containerdLayout(opts.dir);
    this.log = (opts.log ?? silentLogger).child({ component: 'containerd-supervisor' });
    this.clock = opts.clock ?? realClock;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.nextBackoffMs = this.backoff.initialMs;
  }

  get socket(): string {
    return this.layout.socket;
  }

  /** PID of the running containerd, if any. */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Back-off of the restart waiting to happen, if containerd is down. */
  get pendingRestartDelayMs(): number | undefined {
    return this.pendingDelayMs;
  }

  /** Writes the config, starts containerd and resolves once CRI Version answers. */
  async start(): Promise<void> {
    if (this.pid !== undefined || this.restartTimer !== undefined) {
      // Already running (or about to restart): just wait for it.
      await this.waitReady(this.opts.readyTimeoutMs ?? 30_000);
      return;
    }
    this.stopping = false;
    const l = this.layout;
    if (this.opts.volatileState !== false) await ensureVolatileState(l.state, this.log);
    for (const d of [l.dir, l.root, l.state, l.optDir, l.runcRoot, l.cniConfDir, l.registryConfigDir]) mkdirSync(d, { recursive: true });
    writeFileSync(l.configFile, this.opts.configToml ?? containerdConfigToml({ layout: l, sandboxImage: this.opts.sandboxImage, runtimeBinary: this.opts.runtimeBinary }));
    for (const r of this.opts.registries ?? []) writeRegistryHosts(l.registryConfigDir, r);
    this.spawnOnce();
    await this.waitReady(this.opts.readyTimeoutMs ?? 30_000);
  }

  /** Our own events go into containerd's log file too, so one file tells the whole story. */
  private note(msg: string): void {
    try {
      appendFileSync(this.layout.logFile, `${new Date().toISOString()} kubets-supervisor: ${msg}\n`);
    } catch {
      // the dir may already be gone
    }
  }

  /** Called after every (re)start of the process, before readiness. */
  onStart(fn: () => void): void {
    this.startListeners.push(fn);
  }

  private spawnOnce(): void {
    const l = this.layout;
    const bin = this.opts.containerdBin ?? 'containerd';
    let argv = [bin, '--config', l.configFile];
    if (this.opts.dieWithParent !== false) argv = ['setpriv', '--pdeathsig', 'KILL', ...argv];
    if (this.opts.netnsPath) argv = ['nsenter', `--net=${this.opts.netnsPath}`, ...argv];
    const [cmd, ...args] = argv as [string, ...string[]];
    // A stale socket from a killed instance would make clients talk to nothing.
    rmSync(l.socket, { force: true });
    const fd = openSync(l.logFile, 'a');
    try {
      this.child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.starts++;
    this.startedAt = this.clock.now();
    const child = this.child;
    this.log.info('containerd started', { pid: child.pid, dir: l.dir, netns: this.opts.netnsPath });
    this.note(`started pid ${child.pid}: ${argv.join(' ')}`);
    child.on('error', (err) => this.log.error('containerd spawn failed', { err }));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    for (const fn of this.startListeners) fn();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || this.stopping) return;
    const ranMs = this.clock.now() - this.startedAt;
    if (ranMs >= this.backoff.resetAfterMs) this.nextBackoffMs = this.backoff.initialMs;
    const delay = this.nextBackoffMs;
    this.nextBackoffMs = Math.min(this.backoff.maxMs, this.nextBackoffMs * 2);
    this.log.warn('containerd exited; restarting', { code, signal, delayMs: delay });
    this.note(`exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
    this.pendingDelayMs = delay;
    this.restartTimer = this.clock.setTimeout(() => {
      this.restartTimer = undefined;
      this.pendingDelayMs = undefined;
      if (!this.stopping) this.spawnOnce();
    }, delay);
  }

  /** Resolves once the CRI answers Version; rejects after timeoutMs. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const cri = new CriClient(this.layout.socket, { timeoutMs: 2_000 });
    let last: unknown;
    try {
      while (Date.now() < deadline) {
        if (this.stopping) throw new ContainerdNotReadyError('stopped while waiting');
        if (existsSync(this.layout.socket)) {
          try {
            await cri.version();
            return;
          } catch (err) {
            last = err;
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      cri.close();
    }
    throw new ContainerdNotReadyError(`containerd in ${this.layout.dir} not ready after ${timeoutMs} ms: ${String(last)} (log: ${this.layout.logFile})`);
  }

  /**
   * Ends containerd, then this instance's shims and their containers, then
   * unmounts what is left. With keepContainers, only containerd ends: shims
   * and containers run on and the next start adopts them (an agent restart).
   */
  async stop(opts: { keepContainers?: boolean } = {}): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== undefined) this.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.pendingDelayMs = undefined;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.note(`stopping pid ${child.pid}${opts.keepContainers ? ' (containers keep running)' : ''}`);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const graceMs = this.opts.stopGraceMs ?? 5_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    if (opts.keepContainers) {
      this.log.info('containerd stopped; containers left running', { dir: this.layout.dir });
      return;
    }
    await killInstanceProcesses(this.layout, this.log);
    const cached = removeCniResultsUnder(this.layout.state);
    if (cached) this.log.info('removed CNI results of sandboxes that got no DEL', { count: cached });
    const left = await unmountUnder(this.layout.dir);
    if (left.length) this.log.warn('mounts left under containerd dir', { left });
    this.log.info('containerd stopped', { dir: this.layout.dir });
  }
}

/**
 * Kills the shims of the containerd at layout.socket and every process under
 * them (the containers), removes the containers' cgroups and the shims'
 * sockets in /run/containerd/s. Only processes whose -address is our socket.
 */
export async function killInstanceProcesses(layout: ContainerdLayout, log: Logger = silentLogger): Promise<void> {
  const table = listProcesses();
  const shims = shimsOf(layout.socket, table);
  if (!shims.length) return;
  const shimCgroups = new Set(shims.flatMap((s) => cgroupsOf(s.pid)));
  const victims = shims.flatMap((s) => descendants(s.pid, table));
  const cgroups = new Set(victims.flatMap((v) => cgroupsOf(v.pid)).filter((c) => !shimCgroups.has(c)));
  const shimSockets = shimSocketPaths(layout);
  for (const p of [...victims, ...shims]) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 10_000;
  while ([...victims, ...shims].some((p) => isAlive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  log.info('killed containerd shims and containers', { shims: shims.length, processes: victims.length });
  // A killed container's cgroup stays busy until its processes are reaped.
  let left = removeCgroupLines(cgroups);
  const cgDeadline = Date.now() + 3_000;
  while (left.length && Date.now() < cgDeadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = removeCgroupLines(left);
  }
  for (const s of shimSockets) rmSync(s, { force: true });
}

/** Shim socket paths named in the task bundles' "address" files (unix:///run/containerd/s/<hash>). */
function shimSocketPaths(layout: ContainerdLayout): string[] {
  const out: string[] = [];
  const tasks = join(layout.state, 'io.containerd.runtime.v2.task');
  for (const ns of safeReaddir(tasks)) {
    for (const id of safeReaddir(join(tasks, ns))) {
      try {
        const addr = readFileSync(join(tasks, ns, id, 'address'), 'utf8').trim();
        const path = addr.replace(/^unix:\/\//, '');
        if (path.startsWith('/run/containerd/s/')) out.push(path);
      } catch {
        // no address file
      }
    }
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
