// A throwaway node runtime for component tests: a fresh network namespace,
// a CNI bridge on a test podCIDR, a private containerd inside the namespace
// (supervised), the built images imported, and a CRI client. stop() removes
// every sandbox, then containerd, shims, mounts, cgroups, the namespace and
// the directory. Safe to use from several test files at once: all names are
// random and nothing listens on a fixed port.
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import { CriClient } from '../grpc-client.js';
import { ContainerdSupervisor } from '../../agent/containerd/supervisor.js';
import { writeRegistryHosts } from '../../agent/containerd/registry-hosts.js';
import { writeCniConflist } from '../../agent/cni/conflist.js';
import { importImageDir } from '../../agent/images/import.js';
import { PAUSE_IMAGE } from '../../agent/images/names.js';
import { removeCgroupTreeEventually } from '../../agent/cgroups.js';
import { mountsUnder } from '../../agent/mounts.js';
import { silentLogger, type Logger } from '../../util/log.js';
import type { CommandResult, RunOptions } from '../../agent/run-command.js';
import { createNetNs, type NetNs } from './netns.js';
import { ensureBuiltImages } from './images.js';
import { httpGetInNetns, type NetnsHttpResponse } from './netns-http.js';
import { NetnsDialer } from './netns-dialer.js';
import { startReaper } from './node-reaper.js';

export interface TestNodeOptions {
  /** Defaults to a random 10.88.X.0/24 (it lives in its own namespace anyway). */
  podCIDR?: string;
  /** Import build/images (default true). */
  importImages?: boolean;
  log?: Logger;
}

export interface TestNode {
  cri: CriClient;
  socket: string;
  netns: string;
  netnsPath: string;
  /** Private directory: containerd under dir/containerd, pod logs under dir/logs. */
  dir: string;
  podCIDR: string;
  /** A cgroup parent of this node's own (cgroupfs), removed by stop(). Put pod cgroups under it. */
  cgroupParent: string;
  /** Where pod log directories may go. */
  logDir: string;
  supervisor: ContainerdSupervisor;
  /** Lets containerd pull from a plain-HTTP registry at host:port (e.g. a test registry). */
  addInsecureRegistry(host: string): void;
  /** Runs a command inside the node's network namespace (nsenter --net). */
  run(cmd: string, args: string[], opts?: RunOptions): Promise<CommandResult>;
  /** HTTP GET from inside the node's network namespace (e.g. to a pod IP). */
  httpGet(url: string, timeoutMs?: number): Promise<NetnsHttpResponse>;
  /**
   * Dials TCP inside the node's namespace from this process: connect(host,
   * port) and agent() (an http.Agent for http.request / ws). Pod IPs and
   * containerd's stream server (127.0.0.1 there) are only reachable this way.
   */
  dialer: NetnsDialer;
  /** containerd's log so far (for failure messages). */
  containerdLog(): string;
  stop(): Promise<void>;
}

export async function startTestNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  const log = opts.log ?? silentLogger;
  // Short path: the containerd socket path must stay under 108 bytes.
  const dir = mkdtempSync('/tmp/kt-');
  const podCIDR = opts.podCIDR ?? `10.88.${randomInt(0, 256)}.0/24`;
  const cgroupParent = `/kubets-test-${randomBytes(4).toString('hex')}`;
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let ns: NetNs;
  try {
    ns = await createNetNs('kt-');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const supervisor = new ContainerdSupervisor({ dir: join(dir, 'c'), sandboxImage: PAUSE_IMAGE, netnsPath: ns.path, log });
  const dialer = new NetnsDialer(ns.path, join(dir, 'dial.sock'));
  const reaper = startReaper({ dir, containerdDir: supervisor.layout.dir, netns: ns.name, cgroupParent });
  let cri: CriClient | undefined;
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> => (stopped ??= doStop());
  const doStop = async (): Promise<void> => {
    await dialer.close();
    if (cri && supervisor.pid !== undefined) {
      await removeAllPods(cri).catch((err) => log.warn('test node: pod clean-up failed', { err }));
    }
    cri?.close();
    await supervisor.stop();
    const failed = await removeCgroupTreeEventually(cgroupParent);
    if (failed.length) log.warn('test node: cgroups left', { failed });
    await ns.delete();
    const left = mountsUnder(dir);
    if (left.length) throw new Error(`test node: mounts left under ${dir}: ${left.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
    reaper.dismiss();
  };

  try {
    writeCniConflist(supervisor.layout.cniConfDir, { podCIDR, ipamDataDir: join(dir, 'ipam') });
    const imagesDir = opts.importImages === false ? undefined : await ensureBuiltImages();
    await supervisor.start();
    if (imagesDir) await importImageDir(imagesDir, { socket: supervisor.socket, log });
    cri = new CriClient(supervisor.socket, { timeoutMs: 60_000 });
  } catch (err) {
    // The dir goes with stop(): keep the end of containerd's log in the error.
    let tail = '';
    try {
      tail = readFileSync(supervisor.layout.logFile, 'utf8').slice(-3000);
    } catch {
      // no log yet
    }
    await stop().catch(() => {});
    throw new Error(`startTestNode: ${err instanceof Error ? err.message : String(err)}${tail ? `\n--- containerd log (end) ---\n${tail}` : ''}`, { cause: err });
  }
  return {
    cri,
    socket: supervisor.socket,
    netns: ns.name,
    netnsPath: ns.path,
    dir,
    podCIDR,
    cgroupParent,
    logDir,
    supervisor,
    run: ns.run,
    httpGet: (url, timeoutMs) => httpGetInNetns(ns.path, url, timeoutMs),
    dialer,
    containerdLog: () => {
      try {
        return readFileSync(supervisor.layout.logFile, 'utf8');
      } catch {
        return '';
      }
    },
    addInsecureRegistry: (host) => {
      writeRegistryHosts(supervisor.layout.registryConfigDir, { host, insecureHttp: true });
    },
    stop,
  };
}

/** Stops and removes every sandbox (and so its containers), so CNI releases IPs and caches. */
async function removeAllPods(cri: CriClient): Promise<void> {
  const pods = await cri.listPodSandbox();
  await Promise.all(
    pods.map(async (p) => {
      await cri.stopPodSandbox(p.id);
      await cri.removePodSandbox(p.id);
    }),
  );
}
