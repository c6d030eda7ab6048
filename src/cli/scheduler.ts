// `kubets scheduler`: the scheduler alone, against any API server.
import { parseArgs } from 'node:util';
import type { Level } from '../util/log.js';
import { startControlPlaneThread } from './control-plane-thread.js';
import { COMMON_FLAGS, commandLogger, requireFlags, showHelp } from './flags.js';
import type { Command } from './main.js';

const HELP = `Usage: kubets scheduler --kubeconfig FILE [flags]

  --kubeconfig FILE      how to reach the API server
  --config FILE          a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)
  --leader-elect BOOL    elect a leader through the kube-system/kube-scheduler Lease (default true)
  --log-level LEVEL      debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

/** Twice V8's default semi-space (3 × 32 MiB). */
const SCHEDULER_YOUNG_GENERATION_MB = 96;

export function schedulerCommand(): Command {
  return {
    summary: 'run the scheduler',
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          ...COMMON_FLAGS,
          config: { type: 'string' },
          'leader-elect': { type: 'string' },
        },
        strict: true,
      });
      if (values.help) return showHelp(HELP);
      if (!requireFlags('scheduler', HELP, values, ['kubeconfig'])) return 2;
      const logger = commandLogger(values);
      let scheduler;
      try {
        // On a thread of its own, for a young generation sized to its churn:
        // with V8's default, scavenges took 18% of its time (README, bench:scheduler).
        scheduler = await startControlPlaneThread({
          kubeconfig: values.kubeconfig,
          logLevel: values['log-level'] as Level | undefined,
          component: 'scheduler',
          scheduler: { configFile: values.config, leaderElect: values['leader-elect'] !== 'false' },
          simulatedNodes: 0,
          youngGenerationMb: SCHEDULER_YOUNG_GENERATION_MB,
        });
      } catch (err) {
        logger.error('cannot start', { err: (err as Error).message });
        return 1;
      }
      await new Promise<void>((resolve) => {
        const stop = () => void scheduler.stop().then(resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      return 0;
    },
  };
}
