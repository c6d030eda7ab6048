// `kubets ingress`: the ingress controller alone, against any API server.
import { parseArgs } from 'node:util';
import { KubeClient } from '../client/client.js';
import { ensureIngressClass, startIngressController } from '../ingress/controller.js';
import { COMMON_FLAGS, commandLogger, requireFlags, showHelp } from './flags.js';
import type { Command } from './main.js';
import { holdStopSignals, runUntilSignal } from './signals.js';

const HELP = `Usage: kubets ingress --kubeconfig FILE [flags]

  --kubeconfig FILE      how to reach the API server
  --http-port N          HTTP port (default 80)
  --https-port N         HTTPS port (default 443)
  --bind-address IP      address to listen on (default: all)
  --address IP           node address for Ingress status (repeatable)
  --publish-node-addresses
                         also list every Node's InternalIP in Ingress status
  --log-level LEVEL      debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

function port(v: string | undefined, dflt: number, flag: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: not a port: ${v}`);
  return n;
}

export function ingressCommand(): Command {
  return {
    summary: 'run the ingress controller',
    async run(args) {
      holdStopSignals();
      const { values } = parseArgs({
        args,
        options: {
          ...COMMON_FLAGS,
          'http-port': { type: 'string' },
          'https-port': { type: 'string' },
          'bind-address': { type: 'string' },
          address: { type: 'string', multiple: true },
          'publish-node-addresses': { type: 'boolean' },
        },
        strict: true,
      });
      if (values.help) return showHelp(HELP);
      if (!requireFlags('ingress', HELP, values, ['kubeconfig'])) return 2;
      let httpPort: number;
      let httpsPort: number;
      try {
        httpPort = port(values['http-port'], 80, '--http-port');
        httpsPort = port(values['https-port'], 443, '--https-port');
      } catch (err) {
        console.error(`kubets ingress: ${(err as Error).message}`);
        return 2;
      }
      const log = commandLogger(values, { component: 'ingress' });
      const client = KubeClient.fromKubeconfig(values.kubeconfig, { component: 'ingress' });
      let controller;
      // Node credentials may read IngressClasses but not create them; then the server side registers it.
      await ensureIngressClass(client).catch((err: Error) => log.warn('cannot register IngressClass kubets', { err: err.message }));
      try {
        controller = await startIngressController({
          client,
          httpPort,
          httpsPort,
          host: values['bind-address'],
          addresses: values.address ?? [],
          publishNodeAddresses: values['publish-node-addresses'] ?? false,
          log,
        });
      } catch (err) {
        log.error('cannot start', { err: (err as Error).message });
        client.close();
        return 1;
      }
      await runUntilSignal(async () => {
        await controller.close();
        client.close();
      }, log);
      return 0;
    },
  };
}
