export { statefulSetController } from './controller.js';
export { planStatefulSet, computeStatus, revisionForNewPod, type StatefulAction, type StatefulPlan } from './plan.js';
export { ordinalOf, podName, claimName, POD_NAME_LABEL, POD_INDEX_LABEL } from './identity.js';
export type { StatefulSet, StatefulSetSpec, StatefulSetStatus } from './types.js';
