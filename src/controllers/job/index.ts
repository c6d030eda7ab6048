export { jobController, newJobController, type JobControllerOptions } from './controller.js';
export { planJob, defaultJobBackoff, type JobPlan } from './plan.js';
export { formatIndexes, parseIndexes, podIndex } from './indexes.js';
export { matchPodFailurePolicy } from './failure-policy.js';
export * from './types.js';
