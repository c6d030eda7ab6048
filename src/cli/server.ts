// `kubets server` (the k3s-style all-in-one) and `kubets apiserver` (the API server alone).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApiServer } from '../apiserver/server.js';
import { KubeClient } from '../client/client.js';
import type { Datastore } from '../storage/index.js';
import type { Level } from '../util/log.js';
import { commandLogger } from './flags.js';
import type { Command } from './main.js';
import { holdStopSignals, runUntilSignal } from './signals.js';
import { DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_CIDR_MASK_SIZE } from '../controllers/nodeipam/controller.js';
import { parseCidr } from '../controllers/nodeipam/cidr-allocator.js';
import { ControlPlaneStartError, startControlPlaneThread } from './control-plane-thread.js';
import { ensureDnsServiceObject } from '../dns/addon.js';
import { ensureIngressClass } from '../ingress/controller.js';
import { startAgent } from '../agent/agent.js';
import { joinConfig } from '../agent/join.js';
import { agentPreflight } from '../agent/preflight.js';
import { AGENT_FLAG_HELP, AGENT_FLAG_OPTIONS, agentSettings, FlagError } from './agent-flags.js';

/** How many node podCIDRs a cluster CIDR holds at the default mask size; undefined if it does not parse (IPAM reports that). */
function podCidrCapacity(clusterCidr: string): number | undefined {
  try {
    return 2 ** Math.max(0, DEFAULT_NODE_CIDR_MASK_SIZE - parseCidr(clusterCidr).prefix);
  } catch {
    return undefined;
  }
}

export function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/kubets' : path.join(os.homedir(), '.kubets');
}

const HELP = `Usage: kubets server|apiserver [flags]

  --data-dir DIR           data directory (default ${defaultDataDir()})
  --port N                 HTTPS port (default 6443; 0 picks a free one)
  --bind-address IP        address to listen on (default 127.0.0.1)
  --unix-socket PATH       also serve the API (TLS) on this unix socket
  --datastore sqlite|etcd  where cluster state lives (default sqlite)
  --etcd-endpoints URLS    comma-separated etcd client URLs (with --datastore etcd)
  --token-auth-file FILE   static bearer tokens (token,user,uid,"group1,group2")
  --disable-agent          do not run a node agent in this process
  --cluster-cidr CIDR      pod network for node IPAM (default 10.42.0.0/16)
  --simulate-nodes N       run N simulated (KWOK-like) nodes in this process
  --disable-scheduler      do not run the scheduler in this process (run kubets scheduler instead)
  --node-monitor-grace-period SECONDS   heartbeat age before a node is NotReady (default 40)
  --default-toleration-seconds SECONDS  not-ready/unreachable toleration added to pods (default 300)
  --log-level LEVEL        debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)

Node agent (run in-process unless --disable-agent; needs root, containerd and runc):
${AGENT_FLAG_HELP}
`;

export function serverCommand(name: 'server' | 'apiserver'): Command {
  return {
    summary: name === 'server' ? 'run the control plane (and a node agent)' : 'run the API server alone',
    async run(args) {
      holdStopSignals();
      const { values } = parseArgs({
        args,
        options: {
          'data-dir': { type: 'string' },
          port: { type: 'string' },
          'bind-address': { type: 'string' },
          'unix-socket': { type: 'string' },
          datastore: { type: 'string' },
          'etcd-endpoints': { type: 'string' },
          'token-auth-file': { type: 'string' },
          'disable-agent': { type: 'boolean' },
          'cluster-cidr': { type: 'string' },
          'simulate-nodes': { type: 'string' },
          'node-monitor-grace-period': { type: 'string' },
          'default-toleration-seconds': { type: 'string' },
          'disable-scheduler': { type: 'boolean' },
          'log-level': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
          ...AGENT_FLAG_OPTIONS,
        },
        strict: true,
      });
      if (values.help) {
        console.log(HELP);
        return 0;
      }
      const datastore = (values.datastore ?? 'sqlite') as Datastore;
      if (!['sqlite', 'etcd'].includes(datastore)) {
        console.error(`kubets ${name}: --datastore must be sqlite or etcd, not ${datastore}`);
        return 2;
      }
      const port = Number(values.port ?? 6443);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        console.error(`kubets ${name}: invalid --port ${values.port}`);
        return 2;
      }
      const logger = commandLogger(values, { component: name });
      const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
      let server;
      try {
        server = await startApiServer({
          dataDir,
          port,
          bindAddress: values['bind-address'],
          unixSocket: values['unix-socket'] === undefined ? undefined : path.resolve(values['unix-socket']),
          datastore,
          etcdEndpoints: values['etcd-endpoints']?.split(',').filter(Boolean),
          tokenAuthFile: values['token-auth-file'],
          defaultTolerationSeconds: values['default-toleration-seconds'] === undefined ? undefined : Number(values['default-toleration-seconds']),
          logger,
        });
      } catch (err) {
        logger.error('cannot start', { err: (err as Error).message });
        return 1;
      }
      const stops: (() => Promise<void>)[] = [];
      if (name === 'server') {
        // The control plane in one process, k3s-style; each part talks to the API server over HTTPS.
        const grace = values['node-monitor-grace-period'];
        let simulated = Number(values['simulate-nodes'] ?? 0);
        const clusterCidr = values['cluster-cidr'] ?? DEFAULT_CLUSTER_CIDR;
        const podCidrs = podCidrCapacity(clusterCidr);
        if (podCidrs !== undefined && simulated > podCidrs) {
          logger.warn(`--simulate-nodes ${simulated} is more than the ${podCidrs} node podCIDRs (/${DEFAULT_NODE_CIDR_MASK_SIZE}) in --cluster-cidr ${clusterCidr}: the rest get none; pass a wider --cluster-cidr, e.g. 10.128.0.0/9`);
        }
        const pre = simulated === 0 && !values['disable-agent'] ? agentPreflight({ runtimeEndpoint: values['container-runtime-endpoint'] }) : undefined;
        if (pre && !pre.ok) {
          logger.warn(`no node agent: ${pre.reason}. Running one simulated node instead (pods run nowhere real); --disable-agent turns this off`);
          simulated = 1;
        }
        let stage = 'the cluster add-ons';
        try {
          // The cluster add-ons' API objects; every node agent serves them (DNS endpoints, ingress).
          const admin = KubeClient.fromKubeconfig(server.kubeconfigPath, { component: 'addons' });
          try {
            await ensureDnsServiceObject(admin);
            await ensureIngressClass(admin);
          } finally {
            admin.close();
          }
          stage = 'the control plane';
          const controlPlane = await startControlPlaneThread({
            kubeconfig: server.kubeconfigPath,
            logLevel: values['log-level'] as Level | undefined,
            controllerManager: { clusterCidr: values['cluster-cidr'], nodeMonitorGracePeriodSeconds: grace === undefined ? undefined : Number(grace), localPathStorageDir: path.join(dataDir, 'storage') },
            scheduler: !values['disable-scheduler'],
            simulatedNodes: simulated,
            // Heartbeats four times per grace period, as the kubelet's 10 s against 40 s.
            leasePeriodMs: grace === undefined ? undefined : (Number(grace) * 1000) / 4,
          });
          stops.push(() => controlPlane.stop());
          if (pre?.ok) {
            stage = 'the node agent';
            const settings = agentSettings(values, dataDir);
            const client = await joinConfig(server.url, server.nodeToken, { caPem: server.caPem });
            const agent = await startAgent({ ...settings, client, caPem: server.caPem, log: logger });
            stops.push(() => agent.stop());
          }
        } catch (err) {
          logger.error(`cannot start ${stage}`, { err: err instanceof FlagError || err instanceof ControlPlaneStartError ? err.message : String(err) });
          for (const s of stops.reverse()) await s().catch(() => undefined);
          await server.close();
          return 1;
        }
      }
      console.log(`kubets ${name} is running at ${server.url}\n  export KUBECONFIG=${server.kubeconfigPath}`);
      if (name === 'server') console.log(`  join a node: kubets agent --server ${server.url} --token ${server.nodeToken}`);
      await runUntilSignal(async () => {
        for (const s of stops.reverse()) await s().catch((err: unknown) => logger.warn('stop failed', { err }));
        await server.close();
      }, logger);
      return 0;
    },
  };
}
