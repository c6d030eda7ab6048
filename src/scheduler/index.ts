// The scheduler's public surface, for the integrator wiring it to informers.
export { SchedulerCache, CacheError } from './cache/cache.js';
export { NodeInfo } from './cache/node-info.js';
export { PodInfo } from './cache/pod-info.js';
export type { Snapshot, TermGroup } from './cache/snapshot.js';
export { CycleState, StateKey } from './framework/cycle-state.js';
export { ActionType, ALL, UPDATE, eventMatches, type ClusterEvent, type ClusterEventWithHint, type QueueingHint } from './framework/events.js';
export * from './framework/interfaces.js';
export { Status, type Code, type NodeToStatus } from './framework/status.js';
export { Framework, type NodePluginScores, type PluginScore } from './framework/framework.js';
export {
  parseSchedulerConfiguration,
  schedulerConfigurationFromObject,
  ConfigError,
  DEFAULT_SCHEDULER_NAME,
  type SchedulerConfiguration,
  type ProfileConfig,
} from './framework/config.js';
export { buildFramework, buildProfiles, DEFAULT_MULTIPOINT, type Registry, type PluginFactory } from './framework/profile.js';
export { inTreeRegistry, type RegistryOptions } from './plugins/registry.js';
export type { BindFn } from './plugins/default-binder.js';
export { scheduleOne, numFeasibleNodesToFind, selectHost, type ScheduleOutcome, type ScheduleOptions } from './scheduler.js';
export { assumeAndReserve, bindingCycle } from './binding.js';
export { FitError, fitErrorMessage, type Diagnosis } from './fit-error.js';
export { SchedulingQueue, type QueuedPodInfo, type QueueOptions } from './queue/scheduling-queue.js';
export { nodeUpdateEvent, podUpdateEvent } from './queue/events.js';
export { quantityMilli, quantityValue, podRequests, Resource } from './resources.js';
export type { Pod, Node } from './types.js';
export { Nominator } from './queue/nominator.js';
