// The control-plane thread's entry (see control-plane-thread.ts): starts the
// controller manager, the scheduler and simulated nodes, and stops them in
// reverse order when the main thread says "stop".
import { parentPort, workerData } from 'node:worker_threads';
import { KubeClient } from '../client/client.js';
import { startControllerManager } from '../controllers/manager.js';
import { startScheduler } from '../scheduler/runner.js';
import { startSimulatedNodes } from '../sim/index.js';
import { createLogger } from '../util/log.js';
import type { ControlPlaneMessage, ControlPlaneSpec } from './control-plane-thread.js';

const spec = workerData as ControlPlaneSpec;
const port = parentPort!;
const post = (m: ControlPlaneMessage) => port.postMessage(m);
const logger = createLogger(spec.logLevel, { component: spec.component ?? 'server' });
const stops: (() => Promise<void>)[] = [];

async function stopAll(): Promise<void> {
  for (const s of stops.reverse()) await s().catch((err: unknown) => logger.warn('stop failed', { err }));
}

try {
  if (spec.controllerManager) {
    const cm = await startControllerManager({ kubeconfig: spec.kubeconfig, leaderElect: true, logger, options: { ...spec.controllerManager, localPathDeleteDirs: true } });
    stops.push(() => cm.stop());
  }
  if (spec.scheduler) {
    const o = spec.scheduler === true ? {} : spec.scheduler;
    const scheduler = await startScheduler({ kubeconfig: spec.kubeconfig, configFile: o.configFile, leaderElect: o.leaderElect ?? true, logger });
    stops.push(() => scheduler.stop());
  }
  if (spec.simulatedNodes > 0) {
    const client = KubeClient.fromKubeconfig(spec.kubeconfig, { component: 'sim' });
    const sim = await startSimulatedNodes({ client, nodes: spec.simulatedNodes, logger, leasePeriodMs: spec.leasePeriodMs });
    stops.push(async () => {
      await sim.stop();
      client.close();
    });
    logger.info('simulated nodes running', { nodes: spec.simulatedNodes });
  }
  port.once('message', () => {
    // process.exit ends this thread only, whatever handle a component may have left open.
    void stopAll().then(() => process.exit(0));
  });
  post({ type: 'started' });
} catch (err) {
  await stopAll();
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
