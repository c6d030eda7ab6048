// `kubets controller-manager`: the controller manager alone, against any API
// server reachable through a kubeconfig.
import { parseArgs } from 'node:util';
import { startControllerManager } from '../controllers/manager.js';
import { selectControllers, UnknownControllerError } from '../controllers/registry.js';
import type { ControllerOptions } from '../controllers/types.js';
import { createLogger, type Level } from '../util/log.js';
import { parseDurationSeconds } from './go-duration.js';
import type { Command } from './main.js';
import { COMMON_FLAGS } from './flags.js';

const HELP = `Usage: kubets controller-manager --kubeconfig FILE [flags]

  --kubeconfig FILE                  how to reach the API server (required)
  --leader-elect[=true|false]        elect a leader on Lease kube-system/kube-controller-manager (default true)
  --controllers LIST                 comma-separated; * = all on by default, name = on, -name = off (default *)
  --node-monitor-grace-period DUR    silence before a node is marked Unknown (default 40s)
  --cluster-cidr CIDR                pod network to give nodes podCIDRs from (default 10.42.0.0/16)
  --node-cidr-mask-size N            prefix length of each node's podCIDR (default 24)
  --terminated-pod-gc-threshold N    terminated pods kept before the oldest are deleted (default 12500)
  --log-level LEVEL                  debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ControllerManagerFlags {
  kubeconfig: string;
  leaderElect: boolean;
  controllers: string[];
  options: ControllerOptions;
  logLevel: Level;
}

/** Turns `--leader-elect=false` (Go flag style) into what parseArgs understands. */
function normalizeBooleans(args: string[]): { args: string[]; leaderElect: boolean } {
  let leaderElect = true;
  const out: string[] = [];
  for (const a of args) {
    const m = /^--leader-elect(?:=(.*))?$/.exec(a);
    if (!m) {
      out.push(a);
      continue;
    }
    if (m[1] === undefined || m[1] === 'true') leaderElect = true;
    else if (m[1] === 'false') leaderElect = false;
    else throw new UsageError(`invalid --leader-elect value ${JSON.stringify(m[1])}`);
  }
  return { args: out, leaderElect };
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid ${flag} ${JSON.stringify(v)}`);
  return n;
}

/** Parses the flags; undefined when only help was asked for. */
export function parseControllerManagerFlags(argv: string[]): ControllerManagerFlags | undefined {
  const { args, leaderElect } = normalizeBooleans(argv);
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON_FLAGS,
      controllers: { type: 'string' },
      'node-monitor-grace-period': { type: 'string' },
      'cluster-cidr': { type: 'string' },
      'node-cidr-mask-size': { type: 'string' },
      'terminated-pod-gc-threshold': { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (!values.kubeconfig) throw new UsageError('--kubeconfig is required');
  const controllers = (values.controllers ?? '*').split(',').map((s) => s.trim()).filter(Boolean);
  selectControllers(controllers);
  const options: ControllerOptions = {};
  if (values['node-monitor-grace-period'] !== undefined) options.nodeMonitorGracePeriodSeconds = parseDurationSeconds(values['node-monitor-grace-period']);
  if (values['cluster-cidr'] !== undefined) options.clusterCidr = values['cluster-cidr'];
  options.nodeCidrMaskSize = positiveInt('--node-cidr-mask-size', values['node-cidr-mask-size']);
  options.terminatedPodGcThreshold = positiveInt('--terminated-pod-gc-threshold', values['terminated-pod-gc-threshold']);
  const logLevel = (values['log-level'] ?? process.env.KUBETS_LOG_LEVEL ?? 'info') as Level;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new UsageError(`invalid --log-level ${JSON.stringify(logLevel)}`);
  return { kubeconfig: values.kubeconfig, leaderElect, controllers, options, logLevel };
}

export function controllerManagerCommand(): Command {
  return {
    summary: 'run the controller manager against an API server',
    async run(argv) {
      let flags: ControllerManagerFlags | undefined;
      try {
        flags = parseControllerManagerFlags(argv);
      } catch (err) {
        if (err instanceof UsageError || err instanceof UnknownControllerError || err instanceof TypeError || (err as Error).name === 'DurationParseError') {
          console.error(`kubets controller-manager: ${(err as Error).message}\n\n${HELP}`);
          return 2;
        }
        throw err;
      }
      if (!flags) {
        console.log(HELP);
        return 0;
      }
      const logger = createLogger(flags.logLevel, { component: 'controller-manager' });
      let manager;
      try {
        manager = await startControllerManager({ kubeconfig: flags.kubeconfig, controllers: flags.controllers, options: flags.options, leaderElect: flags.leaderElect, logger });
      } catch (err) {
        logger.error('cannot start', { err: err instanceof Error ? err.message : String(err) });
        return 1;
      }
      logger.info('controller manager started', { identity: manager.identity, controllers: manager.controllers, leaderElect: flags.leaderElect });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info('shutting down', { signal });
          void manager.stop().then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      return 0;
    },
  };
}
