// `kubets sim`: simulated (KWOK-like) nodes against any API server.
import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { KubeClient } from '../client/client.js';
import { applyControl, readControlFile, type ControlState } from '../sim/control-file.js';
import { defaultStages, loadStageConfigFile, parseDuration, startSimulatedNodes } from '../sim/index.js';
import type { Logger } from '../util/log.js';
import type { Command } from './main.js';
import { COMMON_FLAGS, commandLogger, showHelp } from './flags.js';

const HELP = `Usage: kubets sim --kubeconfig FILE --nodes N [flags]

  --kubeconfig FILE        API server to register with (default $KUBECONFIG)
  --nodes N                simulated nodes to register (default 1)
  --name-prefix P          node names are P0, P1, ... (default sim-node-)
  --cpu Q, --memory Q      each node's capacity (default 32, 256Gi)
  --pods N                 pods per node (default 110)
  --stages FILE            pod lifecycle stages, JSON or YAML (default: built in)
  --print-default-stages   print the built-in stages as YAML and exit
  --lease-period D         Lease renewal period (default 10s)
  --status-period D        node status re-post period when unchanged (default 5m)
  --control-file FILE      JSON {"stopped":["sim-node-3"]}: nodes whose heartbeat
                           is stopped; polled every second, re-read on SIGUSR1
  --log-level LEVEL        debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)

Pods with annotation sim.kubets.io/complete-after: 5s (or kwok.x-k8s.io/complete-after)
succeed that long after Running; add sim.kubets.io/exit-code: "1" to fail them.
`;

const CONTROL_POLL_MS = 1000;

export function simCommand(): Command {
  return {
    summary: 'run simulated nodes (KWOK-like) against an API server',
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          ...COMMON_FLAGS,
          nodes: { type: 'string' },
          'name-prefix': { type: 'string' },
          cpu: { type: 'string' },
          memory: { type: 'string' },
          pods: { type: 'string' },
          stages: { type: 'string' },
          'print-default-stages': { type: 'boolean' },
          'control-file': { type: 'string' },
          'lease-period': { type: 'string' },
          'status-period': { type: 'string' },
        },
        strict: true,
      });
      if (values.help) return showHelp(HELP);
      if (values['print-default-stages']) {
        process.stdout.write(toYaml(defaultStages()));
        return 0;
      }
      const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfig) {
        console.error('kubets sim: --kubeconfig is required');
        return 2;
      }
      const nodes = Number(values.nodes ?? 1);
      const pods = Number(values.pods ?? 110);
      if (!Number.isInteger(nodes) || nodes < 0 || !Number.isInteger(pods) || pods < 1) {
        console.error('kubets sim: --nodes and --pods must be whole numbers');
        return 2;
      }
      let leasePeriodMs: number | undefined;
      let statusPeriodMs: number | undefined;
      try {
        if (values['lease-period']) leasePeriodMs = parseDuration(values['lease-period']);
        if (values['status-period']) statusPeriodMs = parseDuration(values['status-period']);
      } catch (err) {
        console.error(`kubets sim: ${(err as Error).message}`);
        return 2;
      }
      if (leasePeriodMs === 0 || statusPeriodMs === 0) {
        console.error('kubets sim: periods must be longer than 0');
        return 2;
      }
      const logger = commandLogger(values, { component: 'sim' });
      // The simulator's own timers do not hold the process open; this does, until we return.
      const keepAlive = setInterval(() => {}, 1 << 30);
      try {
        return await runSimulator({
          kubeconfig, nodes, pods, logger, leasePeriodMs, statusPeriodMs,
          namePrefix: values['name-prefix'], cpu: values.cpu, memory: values.memory, stagesFile: values.stages, controlFile: values['control-file'],
        });
      } finally {
        clearInterval(keepAlive);
      }
    },
  };
}

interface SimRun {
  kubeconfig: string;
  nodes: number;
  pods: number;
  logger: Logger;
  namePrefix?: string;
  cpu?: string;
  memory?: string;
  stagesFile?: string;
  controlFile?: string;
  leasePeriodMs?: number;
  statusPeriodMs?: number;
}

/** Starts the nodes, follows the control file, and stops on SIGINT/SIGTERM. */
async function runSimulator(run: SimRun): Promise<number> {
  const { logger, nodes, controlFile } = run;
  let handle;
  let client: KubeClient | undefined;
  try {
    const stages = run.stagesFile ? loadStageConfigFile(run.stagesFile) : undefined;
    client = KubeClient.fromKubeconfig(run.kubeconfig, { component: 'sim', maxSockets: 64 });
    const t0 = Date.now();
    handle = await startSimulatedNodes({
      client,
      nodes,
      namePrefix: run.namePrefix,
      cpu: run.cpu,
      memory: run.memory,
      pods: run.pods,
      stages,
      logger,
      leasePeriodMs: run.leasePeriodMs,
      statusPeriodMs: run.statusPeriodMs,
    });
    logger.info('simulated nodes running', { nodes, ms: Date.now() - t0 });
  } catch (err) {
    logger.error('cannot start simulated nodes', { err: (err as Error).message });
    client?.close();
    return 1;
  }
  const sim = handle;

  let control: ControlState = { stopped: new Set() };
  let timer: NodeJS.Timeout | undefined;
  const reread = async () => {
    if (!controlFile) return;
    try {
      const next = readControlFile(controlFile);
      const changed = await applyControl(sim, control, next);
      control = next;
      if (changed.stopped.length || changed.resumed.length) logger.info('heartbeat control', changed);
    } catch (err) {
      logger.warn('cannot read control file', { file: controlFile, err: (err as Error).message });
    }
  };
  let reading = Promise.resolve();
  const schedule = () => (reading = reading.then(reread));
  if (controlFile) {
    schedule();
    timer = setInterval(schedule, CONTROL_POLL_MS);
    process.on('SIGUSR1', schedule);
  }

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
  if (timer) clearInterval(timer);
  process.off('SIGUSR1', schedule);
  await reading;
  await sim.stop();
  client.close();
  logger.info('simulated nodes stopped', { ...sim.stats() });
  return 0;
}
