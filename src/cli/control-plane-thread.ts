// `kubets server` runs the controller manager, the scheduler and any simulated
// nodes on a second thread, so that on a multi-core machine they do not take
// the API server's event loop. They talk to the API server over HTTPS anyway,
// so nothing but the start and stop crosses the thread boundary. `kubets
// scheduler` runs the scheduler alone on such a thread, for the V8 heap limits
// a thread can be given and a process (without re-executing itself) cannot.
import { Worker } from 'node:worker_threads';
import type { Level } from '../util/log.js';

export interface ControlPlaneSpec {
  kubeconfig: string;
  logLevel?: Level;
  /** The logger's component name (default "server"). */
  component?: string;
  /** Undefined: no controller manager. */
  controllerManager?: { clusterCidr?: string; nodeMonitorGracePeriodSeconds?: number; localPathStorageDir: string };
  /** false: no scheduler; true: with the defaults. */
  scheduler: boolean | { configFile?: string; leaderElect?: boolean };
  /** Simulated nodes to run, and their Lease period (undefined: the default). */
  simulatedNodes: number;
  leasePeriodMs?: number;
  /**
   * The thread's young generation in MiB (V8's default: 3 × a 16 MiB semi-space
   * on 64-bit). The scheduler's allocation churn, every pod parsed from the
   * watch and scored against every node, makes scavenges most of its GC time.
   */
  youngGenerationMb?: number;
}

/** What the thread posts back once: started, or why not. */
export type ControlPlaneMessage = { type: 'started' } | { type: 'failed'; message: string };

export class ControlPlaneStartError extends Error {
  override name = 'ControlPlaneStartError';
}

export interface ControlPlaneThread {
  stop(): Promise<void>;
}

/** Starts the components on their own thread; resolves once they run. */
export function startControlPlaneThread(spec: ControlPlaneSpec): Promise<ControlPlaneThread> {
  const resourceLimits = spec.youngGenerationMb ? { maxYoungGenerationSizeMb: spec.youngGenerationMb } : undefined;
  const worker = new Worker(new URL('./control-plane-thread-main.js', import.meta.url), { workerData: spec, resourceLimits });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const onEarlyExit = (code: number) => reject(new ControlPlaneStartError(`the control-plane thread exited with code ${code} while starting`));
    worker.once('exit', onEarlyExit);
    worker.once('error', (err) => reject(new ControlPlaneStartError(`the control-plane thread failed: ${err.message}`)));
    worker.once('message', (m: ControlPlaneMessage) => {
      worker.off('exit', onEarlyExit);
      if (m.type === 'failed') {
        reject(new ControlPlaneStartError(m.message));
        return;
      }
      resolve({
        async stop() {
          worker.postMessage('stop');
          await exited;
        },
      });
    });
  });
}
