// kube-scheduler as a process part: informers feed the cache and the queue;
// one loop pops pods, runs the framework and binds through pods/binding,
// writing FailedScheduling events and preemption nominations.
import fs from 'node:fs';
import os from 'node:os';
import { randomUUID, randomBytes } from 'node:crypto';
import type { KubeClient } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { LeaderElector } from '../client/leader-election.js';
import { RESOURCES } from '../client/resources.js';
import { deletedObject, isTombstone, stripManagedFields } from '../client/informer.js';
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock } from '../util/clock.js';
import { createLogger, type Logger } from '../util/log.js';
import { SchedulerCache } from './cache/cache.js';
import { ActionType } from './framework/events.js';
import { DEFAULT_SCHEDULER_NAME, parseSchedulerConfiguration, schedulerConfigurationFromObject, type SchedulerConfiguration } from './framework/config.js';
import { buildFramework } from './framework/profile.js';
import { inTreeRegistry } from './plugins/registry.js';
import { scheduleOne } from './scheduler.js';
import { assumeAndReserve, bindingCycle } from './binding.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue/scheduling-queue.js';
import { nodeUpdateEvent, podUpdateEvent } from './queue/events.js';
import { Nominator } from './queue/nominator.js';
import type { Node, Pod } from './types.js';
import { rfc3339 } from '../api/time.js';

export interface SchedulerOptions {
  client?: KubeClient;
  kubeconfig?: string;
  /** A KubeSchedulerConfiguration file (YAML or JSON). */
  configFile?: string;
  leaderElect?: boolean;
  identity?: string;
  leaderElection?: { leaseDurationSeconds?: number; renewDeadlineSeconds?: number; retryPeriodSeconds?: number };
  clock?: Clock;
  logger?: Logger;
}

export interface RunningScheduler {
  identity: string;
  isLeader(): boolean;
  /** Pods bound so far by this instance (for benchmarks and tests). */
  bound(): number;
  stop(): Promise<void>;
}

const podKeyOf = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;
const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** One scheduling loop over one profile; runs until `signal` aborts. */
async function runScheduling(client: KubeClient, config: SchedulerConfiguration, clock: Clock, logger: Logger, signal: AbortSignal, counters: { bound: number }): Promise<void> {
  const profile = config.profiles[0];
  const schedulerName = profile?.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  const bind = async (pod: Pod, node: string) => {
    await client.bind(pod.metadata.namespace!, pod.metadata.name!, node, { podUID: pod.metadata.uid });
  };
  const fw = buildFramework(profile, inTreeRegistry({ bind: (pod, node) => bind(pod, node) }), { percentageOfNodesToScore: config.percentageOfNodesToScore });
  const cache = new SchedulerCache();
  const nominator = new Nominator();
  const queue = new SchedulingQueue({
    clock,
    pluginEvents: fw.eventsToRegister(),
    initialBackoffMs: config.podInitialBackoffSeconds * 1000,
    maxBackoffMs: config.podMaxBackoffSeconds * 1000,
  });
  // As kube-scheduler: cached objects without managedFields.
  const informers = new SharedInformerFactory(client, { transform: stripManagedFields });
  const pods = informers.informer<KubeObject>(RESOURCES.pods);
  const nodes = informers.informer<KubeObject>(RESOURCES.nodes);
  const namespaces = informers.informer<KubeObject>(RESOURCES.namespaces);
  const ours = (p: Pod) => (p.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === schedulerName;
  const pending = (p: Pod) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && !isTerminal(p) && ours(p);

  nodes.addEventHandler({
    onAdd: (o) => {
      cache.addNode(o as Node);
      queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: ActionType.Add }, undefined, o);
    },
    onUpdate: (old, o) => {
      cache.updateNode(o as Node);
      queue.moveAllToActiveOrBackoffQueue(nodeUpdateEvent(old as Node, o as Node), old, o);
    },
    onDelete: (o) => cache.removeNode((isTombstone(o) ? deletedObject(o) : o).metadata.name!),
  });
  namespaces.addEventHandler({
    onAdd: (o) => cache.setNamespace(o.metadata.name!, o.metadata.labels),
    onUpdate: (_old, o) => cache.setNamespace(o.metadata.name!, o.metadata.labels),
    onDelete: (o) => cache.removeNamespace((isTombstone(o) ? deletedObject(o) : o).metadata.name!),
  });
  pods.addEventHandler({
    onAdd: (o) => {
      const p = o as Pod;
      if (p.spec?.nodeName) {
        if (!isTerminal(p)) cache.addPod(p);
      } else if (pending(p)) queue.add(p);
    },
    onUpdate: (old, o) => {
      const before = old as Pod;
      const p = o as Pod;
      if (p.spec?.nodeName) {
        if (!before.spec?.nodeName) {
          // The binding landed: the pod leaves the queue and confirms its assumed place.
          queue.delete(p);
          nominator.delete(p);
          cache.addPod(p);
        } else if (isTerminal(p)) {
          cache.removePod(p);
          queue.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', action: ActionType.Delete }, old, undefined);
        } else {
          cache.updatePod(before, p);
          queue.moveAllToActiveOrBackoffQueue(podUpdateEvent(before, p), old, o);
        }
      } else if (pending(p)) queue.update(before, p);
      else queue.delete(p);
    },
    onDelete: (o) => {
      const p = (isTombstone(o) ? deletedObject(o) : o) as Pod;
      nominator.delete(p);
      if (p.spec?.nodeName) {
        cache.removePod(p);
        queue.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', action: ActionType.Delete }, p, undefined);
      } else queue.delete(p);
    },
  });
  informers.start();
  await informers.waitForCacheSync();
  queue.run();
  // Stopped while starting up: the abort already fired and will not fire again.
  if (signal.aborted) queue.close();
  else signal.addEventListener('abort', () => queue.close(), { once: true });
  logger.info('scheduler started', { schedulerName, nodes: cache.nodeCount() });

  const cursor = { nextStartNodeIndex: 0 };
  const inFlight = new Set<Promise<void>>();
  const requeue = (q: QueuedPodInfo, cycle: number, plugins: Set<string> = new Set()) => {
    q.unschedulablePlugins = plugins;
    queue.addUnschedulableIfNotPresent(q, cycle);
  };
  for (let q = await queue.popWait(); q && !signal.aborted; q = await queue.popWait()) {
    const cycle = queue.currentSchedulingCycle;
    const live = pods.store.get(q.key) as Pod | undefined;
    if (!live || !pending(live)) continue;
    const out = scheduleOne(live, cache, fw, { cursor, nominated: nominator });
    if (out.status === 'Scheduled') {
      const st = assumeAndReserve(cache, fw, out.state, out.podInfo, out.node);
      if (!st.isSuccess()) {
        requeue(q, cycle);
        continue;
      }
      const binding = bindingCycle(cache, fw, out.state, out.podInfo, out.node).then((b) => {
        if (b.isSuccess()) counters.bound++;
        else {
          logger.warn('binding failed', { pod: q!.key, node: out.node, reason: b.message() });
          requeue(q!, cycle);
        }
      });
      inFlight.add(binding);
      void binding.finally(() => inFlight.delete(binding));
      // Bounded concurrency of bindings, so a burst cannot pile up requests.
      if (inFlight.size >= 64) await Promise.race(inFlight);
      continue;
    }
    if (out.status === 'Error') {
      logger.warn('scheduling error', { pod: q.key, err: out.error.message() });
      requeue(q, cycle);
      continue;
    }
    requeue(q, cycle, out.diagnosis.unschedulablePlugins);
    void recordFailure(client, live, out.message, out.nominatedNodeName, out.victims ?? [], nominator, clock, logger);
  }
  await Promise.allSettled(inFlight);
  informers.shutdown();
}

/** FailedScheduling event, PodScheduled=False condition and, after preemption, the nomination and evictions. */
async function recordFailure(client: KubeClient, pod: Pod, message: string, nominatedNode: string | undefined, victims: Pod[], nominator: Nominator, clock: Clock, logger: Logger): Promise<void> {
  const now = rfc3339(clock.now());
  const ns = pod.metadata.namespace!;
  try {
    await client.events.create(ns, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion },
      reason: 'FailedScheduling',
      message,
      type: 'Warning',
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    } as KubeObject);
    const status: Record<string, unknown> = {
      conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message }],
    };
    if (nominatedNode) status.nominatedNodeName = nominatedNode;
    await client.pods.patch(ns, pod.metadata.name!, { status }, 'strategic', { subresource: 'status' });
    if (nominatedNode) {
      nominator.add(pod, nominatedNode);
      for (const v of victims) {
        await client.pods.delete(v.metadata.namespace!, v.metadata.name!, { preconditions: { uid: v.metadata.uid } }).catch((err: unknown) => logger.warn('preemption: cannot delete victim', { victim: podKeyOf(v as KubeObject), err }));
      }
    }
  } catch (err) {
    logger.debug('cannot record scheduling failure', { pod: podKeyOf(pod as KubeObject), err });
  }
}

export async function startScheduler(opts: SchedulerOptions): Promise<RunningScheduler> {
  if (!opts.client && !opts.kubeconfig) throw new Error('the scheduler needs a kubeconfig or a client');
  const { KubeClient } = await import('../client/client.js');
  const client = opts.client ?? KubeClient.fromKubeconfig(opts.kubeconfig!, { component: 'scheduler' });
  const clock = opts.clock ?? realClock;
  const logger = (opts.logger ?? createLogger()).child({ component: 'scheduler' });
  const config = opts.configFile ? parseSchedulerConfiguration(fs.readFileSync(opts.configFile, 'utf8')) : schedulerConfigurationFromObject({});
  const identity = opts.identity ?? `${os.hostname()}_${randomUUID()}`;
  const counters = { bound: 0 };
  let abort = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const start = (signal: AbortSignal) => {
    running = runScheduling(client, config, clock, logger, signal, counters).catch((err: unknown) => logger.error('scheduler failed', { err: (err as Error).message }));
    return running;
  };
  if (opts.leaderElect === false) {
    void start(abort.signal);
    return {
      identity,
      isLeader: () => true,
      bound: () => counters.bound,
      async stop() {
        abort.abort();
        await running;
        if (!opts.client) client.close();
      },
    };
  }
  const elector = new LeaderElector({
    client,
    namespace: 'kube-system',
    name: 'kube-scheduler',
    identity,
    clock,
    ...opts.leaderElection,
    onStartedLeading: (signal) => {
      logger.info('became leader', { identity });
      abort = new AbortController();
      signal.addEventListener('abort', () => abort.abort(), { once: true });
      return start(abort.signal);
    },
    onStoppedLeading: () => logger.info('stopped leading', { identity }),
    onError: (err) => logger.warn('leader election', { err: (err as Error).message }),
  });
  const electing = elector.run();
  return {
    identity,
    isLeader: () => elector.isLeader(),
    bound: () => counters.bound,
    async stop() {
      abort.abort();
      await elector.stop();
      await running;
      await electing.catch(() => {});
      if (!opts.client) client.close();
    },
  };
}
