// `kubets proxy`: kube-proxy alone, for one node, against any API server.
import { parseArgs } from 'node:util';
import { KubeClient } from '../client/client.js';
import { cleanupChains } from '../proxy/proxier.js';
import { Iptables } from '../proxy/iptables.js';
import { JUMP_RULES } from '../proxy/rules.js';
import { startProxy } from '../proxy/start.js';
import { removeServiceRoute } from '../network/node-routes.js';
import { COMMON_FLAGS, commandLogger, requireFlags, showHelp } from './flags.js';
import type { Command } from './main.js';
import { holdStopSignals, runUntilSignal } from './signals.js';

const HELP = `Usage: kubets proxy --kubeconfig FILE --node-name NAME [flags]

  --kubeconfig FILE      how to reach the API server
  --node-name NAME       the node this proxy programs (endpoints on it are "local")
  --cluster-cidr CIDR    pod network; off-cluster clients of cluster IPs are masqueraded (default 10.42.0.0/16)
  --service-cidr CIDR    service network (default 10.43.0.0/16)
  --node-ip IP           source of the node's own connections to service IPs (default: the Node's InternalIP)
  --min-sync-period MS   least time between two rule syncs (default 100)
  --cleanup              remove every rule and route the proxy made, then exit
  --log-level LEVEL      debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

export function proxyCommand(): Command {
  return {
    summary: 'run kube-proxy (service rules in iptables)',
    async run(args) {
      holdStopSignals();
      const { values } = parseArgs({
        args,
        options: {
          ...COMMON_FLAGS,
          'node-name': { type: 'string' },
          'cluster-cidr': { type: 'string' },
          'service-cidr': { type: 'string' },
          'node-ip': { type: 'string' },
          'min-sync-period': { type: 'string' },
          cleanup: { type: 'boolean' },
        },
        strict: true,
      });
      if (values.help) return showHelp(HELP);
      const logger = commandLogger(values);
      if (values.cleanup) {
        // Needs no API server: everything the proxy made is recognisable by name.
        const ipt = new Iptables();
        for (const [table, chain, rule] of JUMP_RULES) await ipt.deleteRule(table, chain, rule);
        await cleanupChains(ipt);
        await removeServiceRoute();
        logger.info('proxy rules removed');
        return 0;
      }
      if (!requireFlags('proxy', HELP, values, ['kubeconfig', 'node-name'])) return 2;
      let proxy;
      try {
        proxy = await startProxy({
          client: KubeClient.fromKubeconfig(values.kubeconfig, { component: 'kube-proxy' }),
          nodeName: values['node-name'],
          clusterCIDR: values['cluster-cidr'] ?? '10.42.0.0/16',
          serviceCIDR: values['service-cidr'] ?? '10.43.0.0/16',
          nodeIP: values['node-ip'],
          minSyncPeriodMs: values['min-sync-period'] ? Number(values['min-sync-period']) : undefined,
          log: logger,
        });
      } catch (err) {
        logger.error('cannot start', { err: (err as Error).message });
        return 1;
      }
      const keepAlive = setInterval(() => {}, 1 << 30);
      await runUntilSignal(async () => {
        await proxy.stop();
        clearInterval(keepAlive);
      }, logger);
      return 0;
    },
  };
}
