// `kubets agent`: joins a node to a cluster with the server's node token.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startAgent } from '../agent/agent.js';
import { joinConfig } from '../agent/join.js';
import { agentPreflight } from '../agent/preflight.js';
import { commandLogger } from './flags.js';
import { AGENT_FLAG_HELP, AGENT_FLAG_OPTIONS, agentSettings, FlagError } from './agent-flags.js';
import type { Command } from './main.js';
import { holdStopSignals, runUntilSignal } from './signals.js';
import { defaultDataDir } from './server.js';

const HELP = `Usage: kubets agent --server URL --token TOKEN [flags]

  --server URL             the API server, e.g. https://10.0.0.1:6443
  --token TOKEN            the node token (the server's DIR/node-token)
  --token-file FILE        read the node token from FILE instead
  --data-dir DIR           agent data directory (default ${defaultDataDir()})
  --cluster-cidr CIDR      pod network (default 10.42.0.0/16)
${AGENT_FLAG_HELP}
  --log-level LEVEL        debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

export function agentCommand(): Command {
  return {
    summary: 'run a node agent (kubelet on containerd) that joins a cluster',
    async run(args) {
      holdStopSignals();
      const { values } = parseArgs({
        args,
        options: {
          server: { type: 'string' },
          token: { type: 'string' },
          'token-file': { type: 'string' },
          'data-dir': { type: 'string' },
          'cluster-cidr': { type: 'string' },
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
      const token = values.token ?? (values['token-file'] ? fs.readFileSync(values['token-file'], 'utf8').trim() : undefined);
      if (!values.server || !token) {
        console.error('kubets agent: --server and --token (or --token-file) are required\n');
        console.error(HELP);
        return 2;
      }
      const logger = commandLogger(values, { component: 'agent' });
      let settings;
      try {
        settings = agentSettings(values, values['data-dir'] ?? defaultDataDir());
      } catch (err) {
        if (err instanceof FlagError) {
          console.error(`kubets agent: ${err.message}`);
          return 2;
        }
        throw err;
      }
      const pre = agentPreflight({ runtimeEndpoint: settings.runtimeEndpoint });
      if (!pre.ok) {
        console.error(`kubets agent: cannot run: ${pre.reason}`);
        return 1;
      }
      let agent;
      try {
        const client = await joinConfig(values.server, token);
        agent = await startAgent({ ...settings, client, caPem: client.ca!.toString(), log: logger });
      } catch (err) {
        logger.error('cannot start the agent', { err: (err as Error).message });
        return 1;
      }
      console.log(`kubets agent ${agent.nodeName} joined ${values.server}`);
      await runUntilSignal(() => agent.stop(), logger, 30_000);
      return 0;
    },
  };
}
