// The in-tree plugins by configuration name.
import type { PluginFactory, Registry } from '../framework/profile.js';
import { BalancedAllocationPlugin, BALANCED_ALLOCATION } from './balanced-allocation.js';
import { DEFAULT_BINDER, DefaultBinderPlugin, type BindFn } from './default-binder.js';
import { DEFAULT_PREEMPTION, DefaultPreemptionPlugin } from './default-preemption.js';
import { INTER_POD_AFFINITY, InterPodAffinityPlugin } from './inter-pod-affinity.js';
import { NODE_AFFINITY, NodeAffinityPlugin } from './node-affinity.js';
import { NODE_NAME, NodeNamePlugin } from './node-name.js';
import { NODE_PORTS, NodePortsPlugin } from './node-ports.js';
import { NODE_RESOURCES_FIT, NodeResourcesFitPlugin } from './node-resources-fit.js';
import { NODE_UNSCHEDULABLE, NodeUnschedulablePlugin } from './node-unschedulable.js';
import { POD_TOPOLOGY_SPREAD, PodTopologySpreadPlugin } from './pod-topology-spread.js';
import { TAINT_TOLERATION, TaintTolerationPlugin } from './taint-toleration.js';

export interface RegistryOptions {
  /** Used by DefaultBinder; without it binding fails with an Error status. */
  bind?: BindFn;
}

export function inTreeRegistry(opts: RegistryOptions = {}): Registry {
  const entries: [string, PluginFactory][] = [
    [NODE_NAME, () => new NodeNamePlugin()],
    [NODE_UNSCHEDULABLE, () => new NodeUnschedulablePlugin()],
    [TAINT_TOLERATION, () => new TaintTolerationPlugin()],
    [NODE_AFFINITY, () => new NodeAffinityPlugin()],
    [NODE_PORTS, () => new NodePortsPlugin()],
    [NODE_RESOURCES_FIT, (args) => new NodeResourcesFitPlugin(args)],
    [BALANCED_ALLOCATION, (args) => new BalancedAllocationPlugin(args)],
    [INTER_POD_AFFINITY, (args, h) => new InterPodAffinityPlugin(h, args)],
    [POD_TOPOLOGY_SPREAD, (_args, h) => new PodTopologySpreadPlugin(h)],
    [DEFAULT_PREEMPTION, (args, h) => new DefaultPreemptionPlugin(h, args)],
    [DEFAULT_BINDER, () => new DefaultBinderPlugin(opts.bind)],
  ];
  return new Map(entries);
}
