// `kubets cluster up`: a multi-node cluster on one machine, as kind makes one.
// The API server (with controllers and scheduler) runs in its own namespace,
// each agent in another, all joined by a bridge in a switch namespace; the
// host reaches the API only through a loopback forwarder to its unix socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Node } from '../api/core-v1.js';
import { KubeClient } from '../client/client.js';
import { startHostGw, type RunningHostGw } from '../network/hostgw.js';
import type { Logger } from '../util/log.js';
import { startLoopbackForwarder, type Forwarder } from './forwarder.js';
import { attachNode, createSwitch } from './network.js';
import { isAlive, isKubetsProcess } from './processes.js';
import { AGENT_NODE_FLAGS } from '../agent/options.js';
import { readState, writeState, type ClusterState } from './state.js';
import { teardown } from './teardown.js';
import { API_PORT, clusterCgroupRoot, clusterTopology, type ClusterNode } from './topology.js';

export interface ClusterUpOptions {
  dataDir: string;
  nodes: number;
  /** Host loopback port for the API (0 picks a free one). */
  port?: number;
  /** How long to wait for every node to be Ready. */
  readyTimeoutMs?: number;
  /** The kubets entry script the children run (default: this process's). */
  kubetsBin?: string;
  log: Logger;
}

export interface RunningCluster {
  kubeconfig: string;
  port: number;
  state: ClusterState;
  /** Stops every process and removes every namespace; idempotent. */
  down(): Promise<void>;
}

export class ClusterError extends Error {
  override name = 'ClusterError';
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const serverDir = (dataDir: string) => path.join(dataDir, 'server');
export const apiSocket = (dataDir: string) => path.join(dataDir, 'apiserver.sock');
export const clusterKubeconfig = (dataDir: string) => path.join(dataDir, 'kubeconfig.yaml');
const logFile = (dataDir: string, name: string) => path.join(dataDir, 'logs', `${name}.log`);

/** Runs `kubets <args>` inside a node's namespace (network only: runtime-notes pitfall 1), output to its log file. */
function spawnInNode(o: ClusterUpOptions, n: ClusterNode, args: string[], nodeFlags: string[] = []): ChildProcess {
  const out = fs.openSync(logFile(o.dataDir, n.name), 'a');
  try {
    const child = spawn('nsenter', [`--net=/run/netns/${n.netns}`, '--', process.execPath, ...nodeFlags, o.kubetsBin ?? process.argv[1]!, ...args], { stdio: ['ignore', out, out] });
    child.on('error', () => undefined);
    return child;
  } finally {
    fs.closeSync(out);
  }
}

/**
 * Waits for `pattern` in what the child wrote to its log after byte `from`:
 * logs are appended across runs (and kept by `down`), so an older run's line
 * must not count.
 */
export async function waitForLog(file: string, pattern: RegExp, child: ChildProcess, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(fs.existsSync(file) ? fs.readFileSync(file).subarray(from).toString('utf8') : '');
    if (m) return m;
    if (child.exitCode !== null || child.signalCode !== null) throw new ClusterError(`${path.basename(file, '.log')} exited (${child.exitCode ?? child.signalCode}); see ${file}`);
    if (Date.now() > deadline) throw new ClusterError(`timed out waiting for ${pattern} in ${file}`);
    await pause(100);
  }
}

const fileSize = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

async function waitForReadyNodes(client: KubeClient, names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing = names;
  for (;;) {
    try {
      const nodes = (await client.nodes.list()).items as Node[];
      const ready = new Set(nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((n) => n.metadata.name));
      missing = names.filter((n) => !ready.has(n));
      if (!missing.length) return;
    } catch {
      /* the API may still be starting */
    }
    if (Date.now() > deadline) throw new ClusterError(`nodes not Ready after ${timeoutMs / 1000} s: ${missing.join(', ')}`);
    await pause(250);
  }
}

export async function clusterUp(o: ClusterUpOptions): Promise<RunningCluster> {
  const dataDir = path.resolve(o.dataDir);
  const prev = readState(dataDir);
  if (prev && isAlive(prev.upPid) && isKubetsProcess(prev.upPid)) throw new ClusterError(`a cluster already runs from ${dataDir} (pid ${prev.upPid}); run kubets cluster down --data-dir ${dataDir} first`);
  if (prev) await teardown(dataDir, prev, o.log); // left over from a killed run
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const t = clusterTopology(randomBytes(3).toString('hex'), o.nodes);
  const state: ClusterState = { topology: t, upPid: process.pid, pids: {} };
  writeState(dataDir, state);
  const children = new Map<string, ChildProcess>();
  let forwarder: Forwarder | undefined;
  let client: KubeClient | undefined;
  let serverRoutes: RunningHostGw | undefined;
  let downing: Promise<void> | undefined;
  const down = () =>
    (downing ??= (async () => {
      await serverRoutes?.stop().catch(() => undefined);
      client?.close();
      await teardown(dataDir, state, o.log);
      await forwarder?.close();
    })());
  try {
    await createSwitch(t);
    for (const n of [t.server, ...t.agents]) await attachNode(t, n);
    o.log.info('cluster network ready', { id: t.id, nodes: t.agents.map((a) => `${a.name}=${a.ip}`).join(' ') });

    const serverLogStart = fileSize(logFile(dataDir, t.server.name));
    const server = spawnInNode({ ...o, dataDir }, t.server, [
      'server', '--data-dir', serverDir(dataDir), '--bind-address', t.server.ip, '--port', String(API_PORT),
      '--disable-agent', '--unix-socket', apiSocket(dataDir),
    ]);
    children.set(t.server.name, server);
    state.pids[t.server.name] = server.pid!;
    writeState(dataDir, state);
    await waitForLog(logFile(dataDir, t.server.name), /is running at (https:\/\/\S+)/, server, 120_000, serverLogStart);

    forwarder = await startLoopbackForwarder(apiSocket(dataDir), o.port ?? 0);
    state.port = forwarder.port;
    // The server's admin kubeconfig, pointed at the loopback forwarder (the serving cert names 127.0.0.1).
    const kc = parse(fs.readFileSync(path.join(serverDir(dataDir), 'kubeconfig.yaml'), 'utf8')) as { clusters: { cluster: { server: string } }[] };
    for (const c of kc.clusters) c.cluster.server = `https://127.0.0.1:${forwarder.port}`;
    fs.writeFileSync(clusterKubeconfig(dataDir), stringify(kc), { mode: 0o600 });

    const serverUrl = `https://${t.server.ip}:${API_PORT}`;
    for (const a of t.agents) {
      const child = spawnInNode({ ...o, dataDir }, a, [
        'agent', '--server', serverUrl, '--token-file', path.join(serverDir(dataDir), 'node-token'),
        '--node-name', a.name, '--node-ip', a.ip, '--data-dir', path.join(dataDir, 'nodes', a.name),
        '--cgroup-root', `${clusterCgroupRoot(t)}/${a.name}`,
      ], AGENT_NODE_FLAGS);
      children.set(a.name, child);
      state.pids[a.name] = child.pid!;
    }
    writeState(dataDir, state);
    client = KubeClient.fromKubeconfig(clusterKubeconfig(dataDir), { component: 'cluster-up' });
    const readyWait = waitForReadyNodes(client, t.agents.map((a) => a.name), o.readyTimeoutMs ?? 120_000);
    // An agent that dies while we wait fails the start at once, with its log.
    const died = new Promise<never>((_, reject) => {
      for (const [name, c] of children) c.once('exit', (code, sig) => reject(new ClusterError(`${name} exited (${code ?? sig}) during start; see ${logFile(dataDir, name)}`)));
    });
    died.catch(() => undefined);
    await Promise.race([readyWait, died]);
    // The server's namespace routes pod CIDRs too (API server → pod traffic, e.g. proxies and webhooks); nothing to masquerade there.
    serverRoutes = await startHostGw({ client, nodeName: t.server.name, clusterCIDR: '10.42.0.0/16', log: o.log, netnsPath: `/run/netns/${t.server.netns}`, masquerade: false });
    state.ready = true;
    writeState(dataDir, state);
    return { kubeconfig: clusterKubeconfig(dataDir), port: forwarder.port, state, down };
  } catch (err) {
    await down();
    throw err;
  }
}
