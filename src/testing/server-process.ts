// Test harness: runs `bin/kubets server` as a child process on a free port
// with a private data dir, and drives it with the real kubectl.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerdLayout } from '../agent/containerd/config.js';
import { killInstanceProcesses } from '../agent/containerd/supervisor.js';
import { unmountUnder } from '../agent/mounts.js';
import { KubeClient } from '../client/client.js';
import { scaled, scaleKubectlTimeouts } from './time-scale.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const KUBETS_BIN = path.join(REPO_ROOT, 'bin/kubets');
export const KUBECTL_VERSIONS = ['1.27', '1.33'] as const;
export type KubectlVersion = (typeof KUBECTL_VERSIONS)[number] | '1.32';

export function kubectlPath(version: KubectlVersion): string {
  return `/usr/lib/google-cloud-sdk/bin/kubectl.${version}`;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Catches a hung command; kubectl's own --timeout (up to 90 s in tests) must end first.
    const timer = setTimeout(() => child.kill('SIGKILL'), scaled(opts.timeoutMs ?? 180_000));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A child that exits without reading its input must not fail the run.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs kubectl with its own `--timeout`/`--request-timeout` stretched by
 * TEST_TIME_SCALE. kubectl gives up on a TLS handshake after a fixed 10 s (no
 * flag changes it), which a host starved by its hypervisor has exceeded.
 * Nothing was sent then, so the command is run again, up to KUBECTL_ATTEMPTS
 * times in all; every other failure is returned as it is.
 */
export async function runKubectl(kubectl: string, args: string[], opts: RunOptions & { /** argv that runs kubectl, e.g. a network namespace's */ prefix?: string[] } = {}): Promise<RunResult> {
  const [cmd, ...argv] = [...(opts.prefix ?? []), kubectl, ...scaleKubectlTimeouts(args)];
  for (let attempt = 1; ; attempt++) {
    const r = await run(cmd!, argv, opts);
    if (attempt >= KUBECTL_ATTEMPTS || r.code === 0 || !HANDSHAKE_TIMEOUT.test(r.stderr)) return r;
  }
}

/** How often runKubectl tries a command that keeps failing on the TLS handshake. */
export const KUBECTL_ATTEMPTS = 5;

/** A long-running kubectl (logs -f, port-forward, get -w) whose output has matched. */
export interface KubectlStream {
  match: RegExpExecArray;
  /** All of the watched output so far; it keeps growing until stop(). */
  out(): string;
  /** Resolves once the output so far matches `pattern`; rejects when kubectl exits first or `timeoutMs` (stretched) passes. */
  until(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** kubectl's exit code, once it has exited (after `close`: all output seen). */
  exited: Promise<number | null>;
  stop(): void;
}

export interface StreamOptions {
  prefix?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Which output to match: stdout (default), or stderr for kubectl's -v request log. */
  from?: 'stdout' | 'stderr';
}

/**
 * Spawns a long-running kubectl and resolves once `pattern` (or the predicate)
 * matches its stdout; rejects when it exits first or `timeoutMs` (stretched)
 * passes. Like runKubectl, a run that gave up on the TLS handshake is started again.
 */
export async function streamKubectl(
  kubectl: string,
  args: string[],
  pattern: RegExp | ((out: string) => boolean),
  opts: StreamOptions = {},
): Promise<KubectlStream> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnUntil([...(opts.prefix ?? []), kubectl, ...scaleKubectlTimeouts(args)], pattern, opts.env ?? process.env, scaled(opts.timeoutMs ?? 30_000), opts.from ?? 'stdout');
    } catch (err) {
      if (attempt >= KUBECTL_ATTEMPTS || !(err instanceof ExitedEarly) || !HANDSHAKE_TIMEOUT.test(err.stderr)) throw err;
    }
  }
}

class ExitedEarly extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

function spawnUntil(argv: string[], pattern: RegExp | ((out: string) => boolean), env: NodeJS.ProcessEnv, timeoutMs: number, from: 'stdout' | 'stderr'): Promise<KubectlStream> {
  const what = `${argv.join(' ')}`;
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let other = '';
  let closed = false;
  // Waiters for more output (until()); each is re-checked on every chunk and on close.
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = true;
      wake();
      resolve(code);
    }),
  );
  child.on('error', (e) => {
    other += String(e);
    closed = true;
    wake();
  });
  (from === 'stdout' ? child.stderr : child.stdout).on('data', (d) => (other += d));
  (from === 'stdout' ? child.stdout : child.stderr).on('data', (d) => {
    out += d;
    wake();
  });
  const until = (p: RegExp | ((o: string) => boolean), ms: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const done = (err?: Error, m?: RegExpExecArray) => {
        waiters.delete(check);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(m!);
      };
      const check = () => {
        const m = typeof p === 'function' ? (p(out) ? ([out] as unknown as RegExpExecArray) : null) : p.exec(out);
        if (m) done(undefined, m);
        else if (closed) done(new ExitedEarly(`${what} exited ${child.exitCode} before ${String(p)}:\n${out}\n${other}`, from === 'stderr' ? out : other));
      };
      const timer = setTimeout(() => done(new Error(`${what}: no ${String(p)} in ${ms} ms; ${from}:\n${out}\nother output:\n${other}`)), ms);
      waiters.add(check);
      check();
    });
  const stop = () => child.kill('SIGKILL');
  return until(pattern, timeoutMs).then(
    (match) => ({ match, out: () => out, until: (p: RegExp, ms = 30_000) => until(p, scaled(ms)), exited, stop }),
    (err: unknown) => {
      stop();
      throw err;
    },
  );
}

// Also inside other messages: "failed to download openapi: Get ...: net/http: TLS handshake timeout".
const HANDSHAKE_TIMEOUT = /net\/http: TLS handshake timeout/;

/** What an in-process agent leaves behind when its server is killed: shims, containers, mounts. */
async function reapAgentLeftovers(dataDir: string): Promise<void> {
  await killInstanceProcesses(containerdLayout(path.join(dataDir, 'agent', 'containerd')));
  await unmountUnder(dataDir);
}

export interface ServerProcess {
  url: string;
  dataDir: string;
  kubeconfig: string;
  child: ChildProcess;
  /** Output the server has logged so far. */
  logs(): string;
  /**
   * GETs an API path as the admin, in-process, over the server's unix socket
   * (reachable even when the server runs in a network namespace). For tests'
   * waits: polling with kubectl costs a process start per check.
   */
  get<T = unknown>(apiPath: string): Promise<T>;
  kubectl(version: KubectlVersion, args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** streamKubectl with this server's kubeconfig (and network namespace). */
  streamKubectl(version: KubectlVersion, args: string[], pattern: RegExp | ((out: string) => boolean), opts?: Omit<StreamOptions, 'prefix'>): Promise<KubectlStream>;
  /** Stops the server; removes the data dir this harness made unless `keepData`. */
  stop(opts?: { signal?: NodeJS.Signals; keepData?: boolean }): Promise<number | null>;
}

export interface ServerProcessOptions {
  args?: string[];
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  command?: 'server' | 'apiserver';
  /** Run the node agent too (default: off). Real pods need `netns`. */
  agent?: boolean;
  /** argv prefix that puts the server (and kubectl) in a network namespace, e.g. createTestNetns().prefix. */
  netnsPrefix?: string[];
  /** Extra node flags for the server process (e.g. --cpu-prof in benchmarks). */
  nodeArgs?: string[];
}

/** Generous: a start takes 1-2 s, but a machine whose host is overloaded has taken over 30 s. */
const START_TIMEOUT_MS = Math.max(120_000, scaled(30_000));

export async function startServerProcess(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-e2e-'));
  const command = opts.command ?? 'server';
  const prefix = opts.netnsPrefix ?? [];
  const socket = path.join(dataDir, 'apiserver.sock');
  const argv = [process.execPath, ...(opts.nodeArgs ?? []), KUBETS_BIN, command, '--data-dir', dataDir, '--port', '0', '--unix-socket', socket, ...(command === 'server' && !opts.agent ? ['--disable-agent'] : []), ...(opts.args ?? [])];
  const [cmd, ...rest] = [...prefix, ...argv];
  const child = spawn(cmd!, rest, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const started = new Promise<string>((resolve, reject) => {
    // A server that never says it is ready must not outlive the failure: its
    // pipes would keep the test file's process, and so the whole suite, alive.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${START_TIMEOUT_MS / 1000} s:\n${err}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /is running at (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${err}`));
    });
  });
  const url = await started.catch((e: unknown) => {
    if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  const kubeconfig = path.join(dataDir, 'kubeconfig.yaml');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // kubectl's discovery and OpenAPI cache goes under the data dir, with the rest of this server.
  const kubectlEnv = (extra?: NodeJS.ProcessEnv) => ({ ...process.env, KUBECONFIG: kubeconfig, HOME: dataDir, ...extra });
  const admin = KubeClient.fromKubeconfig(kubeconfig, { component: 'e2e', socketPath: socket, timeoutMs: scaled(30_000) });
  return {
    url,
    dataDir,
    kubeconfig,
    child,
    logs: () => err,
    get: (apiPath) => admin.api.request({ method: 'GET', path: apiPath }),
    kubectl: (version, args, o = {}) => {
      return runKubectl(kubectlPath(version), args, { prefix, input: o.input, env: kubectlEnv(o.env) });
    },
    streamKubectl: (version, args, pattern, o = {}) => {
      return streamKubectl(kubectlPath(version), args, pattern, { ...o, prefix, env: kubectlEnv(o.env) });
    },
    async stop({ signal = 'SIGTERM', keepData = false } = {}) {
      admin.close();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A clean stop ends the agent's pods and containerd, which on a loaded host takes a while.
      const killer = setTimeout(() => child.kill('SIGKILL'), scaled(30_000));
      const code = await exited;
      clearTimeout(killer);
      if (!opts.dataDir && !keepData) {
        // After a kill the pods outlive the server: end them and their mounts, or the data dir cannot go.
        if (opts.agent) await reapAgentLeftovers(dataDir);
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      return code;
    },
  };
}
