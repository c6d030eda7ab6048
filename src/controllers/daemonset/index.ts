export { daemonSetController } from './controller.js';
export { planDaemonSet, scaledValue, type DaemonPlan } from './plan.js';
export { nodeShouldRunDaemonPod, matchesNodeSelectorTerms, type Eligibility } from './node-eligibility.js';
export { defaultDaemonTolerations, toleratesTaint } from './tolerations.js';
export { newDaemonPod, targetNodeName } from './pod-template.js';
export type { DaemonSet, DaemonSetSpec, DaemonSetStatus, Taint, Toleration } from './types.js';
