// `kubets dns`: the cluster DNS server (the role CoreDNS plays), against any API server.
import { parseArgs } from 'node:util';
import { KubeClient } from '../client/client.js';
import { ensureDnsService } from '../dns/addon.js';
import { hostUpstreams, parseHostPort } from '../dns/forwarder.js';
import { startClusterDns } from '../dns/server.js';
import { COMMON_FLAGS, commandLogger, requireFlags, showHelp } from './flags.js';
import type { Command } from './main.js';
import { holdStopSignals, runUntilSignal } from './signals.js';

const HELP = `Usage: kubets dns --kubeconfig FILE [flags]

  --kubeconfig FILE        how to reach the API server
  --listen IP:PORT         where to serve, UDP and TCP; repeatable (default 0.0.0.0:53)
  --cluster-domain D       the zone served from Services and EndpointSlices (default cluster.local)
  --upstream IP[:PORT]     resolver for other names; repeatable (default: nameservers in /etc/resolv.conf)
  --register-address IP    also create/update the kube-system/kube-dns Service with an EndpointSlice pointing at IP
  --log-level LEVEL        debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

export function dnsCommand(): Command {
  return {
    summary: 'run the cluster DNS server',
    async run(args) {
      holdStopSignals();
      const { values } = parseArgs({
        args,
        options: {
          ...COMMON_FLAGS,
          listen: { type: 'string', multiple: true },
          'cluster-domain': { type: 'string' },
          upstream: { type: 'string', multiple: true },
          'register-address': { type: 'string' },
        },
        strict: true,
      });
      if (values.help) return showHelp(HELP);
      if (!requireFlags('dns', HELP, values, ['kubeconfig'])) return 2;
      const log = commandLogger(values, { component: 'dns' });
      let listen, upstreams;
      try {
        listen = (values.listen ?? ['0.0.0.0:53']).map((s) => parseHostPort(s, 53));
        upstreams = values.upstream?.length ? values.upstream.map((s) => parseHostPort(s, 53)) : hostUpstreams();
      } catch (err) {
        console.error(`kubets dns: ${(err as Error).message}`);
        return 2;
      }
      const client = KubeClient.fromKubeconfig(values.kubeconfig, { component: 'dns' });
      let dns;
      try {
        dns = await startClusterDns({ client, listen, clusterDomain: values['cluster-domain'], upstreams, log });
        const address = values['register-address'];
        if (address) await ensureDnsService(client, { address, port: dns.ports[0] });
      } catch (err) {
        log.error('cannot start', { err: (err as Error).message });
        await dns?.close();
        client.close();
        return 1;
      }
      await runUntilSignal(async () => {
        await dns.close();
        client.close();
      }, log);
      return 0;
    },
  };
}
