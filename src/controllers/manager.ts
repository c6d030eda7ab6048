// The controller manager: one API client and one shared informer factory
// for every controller; with leader election on the Lease
// kube-system/kube-controller-manager only the leader runs controllers, and
// a leader that loses its Lease stops them and campaigns again.
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { KubeClient } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { stripManagedFields } from '../client/informer.js';
import { LeaderElector } from '../client/leader-election.js';
import { realClock, type Clock } from '../util/clock.js';
import { createLogger, type Logger } from '../util/log.js';
import { CONTROLLERS, DISABLED_BY_DEFAULT, selectControllers } from './registry.js';
import type { ControllerContext, ControllerFactory, ControllerOptions } from './types.js';

export const CONTROLLER_MANAGER_LEASE = { namespace: 'kube-system', name: 'kube-controller-manager' } as const;

export interface LeaderElectionSettings {
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  /** Give the Lease up on stop (default true); false behaves like a crash, for tests. */
  releaseOnStop?: boolean;
}

export interface ControllerManagerConfig {
  kubeconfig?: string;
  /** Used as is and not closed on stop; otherwise one is made from `kubeconfig`. */
  client?: KubeClient;
  /** `--controllers` items (`*`, `name`, `-name`); default `*`. */
  controllers?: string[];
  options?: ControllerOptions;
  leaderElect: boolean;
  identity?: string;
  logger?: Logger;
  clock?: Clock;
  leaderElection?: LeaderElectionSettings;
  /** The controller table (tests may pass their own); default the registry. */
  registry?: Readonly<Record<string, ControllerFactory>>;
}

export interface RunningControllerManager {
  readonly identity: string;
  /** The controllers this instance would run when leading. */
  readonly controllers: readonly string[];
  isLeader(): boolean;
  stop(): Promise<void>;
}

export class ControllerManagerConfigError extends Error {
  override name = 'ControllerManagerConfigError';
}

export async function startControllerManager(cfg: ControllerManagerConfig): Promise<RunningControllerManager> {
  if (!cfg.client && !cfg.kubeconfig) throw new ControllerManagerConfigError('a kubeconfig or a client is required');
  const registry = cfg.registry ?? CONTROLLERS;
  const names = selectControllers(cfg.controllers, registry, DISABLED_BY_DEFAULT);
  const client = cfg.client ?? KubeClient.fromKubeconfig(cfg.kubeconfig!, { component: 'controller-manager' });
  const ownClient = !cfg.client;
  const clock = cfg.clock ?? realClock;
  const logger = (cfg.logger ?? createLogger()).child({ component: 'controller-manager' });
  const identity = cfg.identity ?? `${os.hostname()}_${randomUUID()}`;

  /** Runs every selected controller until `signal` aborts, then stops the informers. */
  async function runControllers(signal: AbortSignal): Promise<void> {
    // Every controller listens for the same abort; more than Node's default of 10 is expected.
    setMaxListeners(64, signal);
    // As kube-controller-manager: cached objects without managedFields.
    const informers = new SharedInformerFactory(client, { transform: stripManagedFields });
    const ctx: ControllerContext = { client, informers, clock, logger, options: cfg.options ?? {} };
    const runs = names.map((name) => {
      const controller = registry[name]!(ctx);
      logger.info('starting controller', { controller: name });
      return controller.run(signal).catch((err: unknown) => logger.error('controller failed', { controller: name, err: err instanceof Error ? err.message : String(err) }));
    });
    informers.start();
    await Promise.all(runs);
    await informers.shutdown();
    logger.info('controllers stopped');
  }

  if (!cfg.leaderElect) {
    const abort = new AbortController();
    const done = runControllers(abort.signal);
    return {
      identity,
      controllers: names,
      isLeader: () => true,
      async stop() {
        abort.abort();
        await done;
        if (ownClient) client.close();
      },
    };
  }

  let stopped = false;
  let controllersDone: Promise<void> = Promise.resolve();
  const le = cfg.leaderElection ?? {};
  const elector = new LeaderElector({
    client,
    namespace: CONTROLLER_MANAGER_LEASE.namespace,
    name: CONTROLLER_MANAGER_LEASE.name,
    identity,
    leaseDurationSeconds: le.leaseDurationSeconds,
    renewDeadlineSeconds: le.renewDeadlineSeconds,
    retryPeriodSeconds: le.retryPeriodSeconds,
    releaseOnStop: le.releaseOnStop,
    clock,
    onStartedLeading: (signal) => {
      logger.info('became leader', { identity });
      controllersDone = runControllers(signal);
    },
    onStoppedLeading: () => logger.info('stopped leading', { identity }),
    onNewLeader: (holder) => {
      if (holder !== identity) logger.info('new leader elected', { leader: holder });
    },
    onError: (err) => logger.debug('leader election', { err: err instanceof Error ? err.message : String(err) }),
  });
  // Campaign, lead until the Lease is lost, wait for the controllers to wind down, campaign again.
  const loop = (async () => {
    while (!stopped) {
      await elector.run();
      await controllersDone;
    }
  })();
  return {
    identity,
    controllers: names,
    isLeader: () => elector.isLeader(),
    async stop() {
      stopped = true;
      await elector.stop();
      await loop;
      if (ownClient) client.close();
    },
  };
}
