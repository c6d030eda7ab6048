// The pod network across nodes, host-gateway style (as flannel's host-gw):
// watches Nodes and keeps `<other podCIDR> via <other InternalIP>` routes in
// this node's network namespace, masquerades pod traffic leaving the cluster
// CIDR, and turns on forwarding in the node namespace (never the host's).
import fs from 'node:fs';
import type { Node } from '../api/core-v1.js';
import type { KubeClient } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { RESOURCES } from '../client/resources.js';
import { runCommand, type CommandResult, type RunOptions } from '../agent/run-command.js';
import type { Logger } from '../util/log.js';
import { desiredRoutes, HOSTGW_ROUTE_PROTO, parseIpRouteJson, planRoutes, type PodRoute } from './routes.js';

export type CommandRunner = (cmd: string, args: string[], opts?: RunOptions) => Promise<CommandResult>;

export interface HostGwOptions {
  client: KubeClient;
  nodeName: string;
  /** The cluster (pod) CIDR: pod traffic to anything outside it is masqueraded. */
  clusterCIDR: string;
  log: Logger;
  /** Program this network namespace instead of the process's own (tests; in-process multi-node). */
  netnsPath?: string;
  /** Re-apply everything this often even without Node events, repairing drift (default 30 s; 0 = never). */
  resyncMs?: number;
  /** Install the masquerade rule (default true). */
  masquerade?: boolean;
}

export interface RunningHostGw {
  /** Routes installed by the last successful sync. */
  readonly routes: readonly PodRoute[];
  /** Syncs now (also serialises with event-driven syncs). */
  resync(): Promise<void>;
  /** Stops watching; with cleanup, also removes the routes and the masquerade chain. */
  stop(opts?: { cleanup?: boolean }): Promise<void>;
}

export const MASQ_CHAIN = 'KUBETS-POSTRTG';
const MASQ_JUMP = ['-m', 'comment', '--comment', 'kubets pod network masquerade', '-j', MASQ_CHAIN];

/** The namespace inode of a /proc/.../ns/net or /run/netns/... path. */
function netnsInode(p: string): number | undefined {
  try {
    return fs.statSync(p).ino;
  } catch {
    return undefined;
  }
}

/** True when `nsPath` (or this process's namespace) is the host's (PID 1's) network namespace. */
export function isHostNetns(nsPath = '/proc/self/ns/net'): boolean {
  const host = netnsInode('/proc/1/ns/net');
  return host !== undefined && host === netnsInode(nsPath);
}

export async function startHostGw(o: HostGwOptions): Promise<RunningHostGw> {
  const log = o.log.child({ component: 'hostgw' });
  const exec: CommandRunner = o.netnsPath
    ? (cmd, args, opts) => runCommand('nsenter', [`--net=${o.netnsPath}`, cmd, ...args], opts)
    : runCommand;

  // Forwarding: pods' packets cross this node to reach other nodes' pods. Only ever in a node namespace.
  if (isHostNetns(o.netnsPath)) {
    log.warn('running in the host network namespace: not enabling ip_forward here; the pod network needs it on (sysctl net.ipv4.ip_forward=1)');
  } else {
    await exec('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  }
  if (o.masquerade !== false) await ensureMasquerade(exec, o.clusterCIDR);

  const factory = new SharedInformerFactory(o.client);
  const nodes = factory.informer<Node>(RESOURCES.nodes);
  let installed: PodRoute[] = [];
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const syncOnce = async () => {
    const want = desiredRoutes(nodes.store.list(), o.nodeName);
    const have = parseIpRouteJson((await exec('ip', ['-j', '-4', 'route', 'show', 'table', 'main', 'proto', HOSTGW_ROUTE_PROTO])).stdout);
    const plan = planRoutes(want, have);
    for (const r of plan.replace) {
      await exec('ip', ['route', 'replace', r.dst, 'via', r.via, 'proto', HOSTGW_ROUTE_PROTO]);
      log.info('route to node pods', { node: r.node, podCIDR: r.dst, via: r.via });
    }
    for (const r of plan.remove) {
      await exec('ip', ['route', 'del', r.dst, 'proto', HOSTGW_ROUTE_PROTO], { allowFailure: true });
      log.info('removed route of a gone node', { podCIDR: r.dst });
    }
    installed = want;
  };
  // One sync at a time; events during a sync ask for one more afterwards.
  const resync = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await syncOnce().catch((err: unknown) => log.warn('route sync failed; retrying on the next event or resync', { err: String(err) }));
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  // Until the first list is in, the store is partial: a sync then would drop routes of nodes not yet seen.
  let synced = false;
  const kick = () => {
    if (synced) void resync();
  };
  nodes.addEventHandler({ onAdd: kick, onUpdate: kick, onDelete: kick });
  factory.start();
  await factory.waitForCacheSync();
  synced = true;
  await resync();
  const period = o.resyncMs ?? 30_000;
  const timer = period > 0 ? setInterval(kick, period) : undefined;
  timer?.unref();
  log.info('pod network routes maintained', { node: o.nodeName, routes: installed.length });

  return {
    get routes() {
      return installed;
    },
    resync,
    async stop({ cleanup = false } = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      await factory.shutdown();
      await running;
      if (!cleanup) return;
      await exec('ip', ['route', 'flush', 'table', 'main', 'proto', HOSTGW_ROUTE_PROTO], { allowFailure: true });
      await removeMasquerade(exec);
    },
  };
}

/** Our nat chain: pod → cluster CIDR stays unchanged, pod → anywhere else (but multicast) is masqueraded. Rewritten whole each time. */
async function ensureMasquerade(exec: CommandRunner, clusterCIDR: string): Promise<void> {
  const ipt = (args: string[], allowFailure = false) => exec('iptables', ['-w', '5', '-t', 'nat', ...args], { allowFailure });
  await ipt(['-N', MASQ_CHAIN], true);
  await ipt(['-F', MASQ_CHAIN]);
  await ipt(['-A', MASQ_CHAIN, '-s', clusterCIDR, '-d', clusterCIDR, '-j', 'RETURN']);
  await ipt(['-A', MASQ_CHAIN, '-s', clusterCIDR, '!', '-d', '224.0.0.0/4', '-j', 'MASQUERADE']);
  if ((await ipt(['-C', 'POSTROUTING', ...MASQ_JUMP], true)).code !== 0) await ipt(['-I', 'POSTROUTING', '1', ...MASQ_JUMP]);
}

async function removeMasquerade(exec: CommandRunner): Promise<void> {
  const ipt = (args: string[]) => exec('iptables', ['-w', '5', '-t', 'nat', ...args], { allowFailure: true });
  while ((await ipt(['-D', 'POSTROUTING', ...MASQ_JUMP])).code === 0);
  await ipt(['-F', MASQ_CHAIN]);
  await ipt(['-X', MASQ_CHAIN]);
}
