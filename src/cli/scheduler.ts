// `kubets scheduler`: the scheduler alone, against any API server.
import { parseArgs } from 'node:util';
import { startScheduler } from '../scheduler/runner.js';
import { COMMON_FLAGS, commandLogger, requireFlags, showHelp } from './flags.js';
import type { Command } from './main.js';

const HELP = `Usage: kubets scheduler --kubeconfig FILE [flags]

  --kubeconfig FILE      how to reach the API server
  --config FILE          a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)
  --leader-elect BOOL    elect a leader through the kube-system/kube-scheduler Lease (default true)
  --log-level LEVEL      debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

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
        scheduler = await startScheduler({ kubeconfig: values.kubeconfig, configFile: values.config, leaderElect: values['leader-elect'] !== 'false', logger });
      } catch (err) {
        logger.error('cannot start', { err: (err as Error).message });
        return 1;
      }
      // The scheduler's timers do not hold the process open (they are unref'd); this does, until a signal.
      const keepAlive = setInterval(() => {}, 1 << 30);
      await new Promise<void>((resolve) => {
        const stop = () => void scheduler.stop().then(() => {
          clearInterval(keepAlive);
          resolve();
        });
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      return 0;
    },
  };
}
