export { replicaSetController, ReplicaSetController, BURST_REPLICAS } from './controller.js';
export { podsToDelete, deletesBefore, podDeletionCost, POD_DELETION_COST_ANNOTATION } from './pods-to-delete.js';
export { isPodActive, isPodReady, isPodAvailable, podReadyTime } from './pod-status.js';
export { slowStartBatch } from '../workloads-shared/slow-start.js';
export { calculateReplicaSetStatus } from './status.js';
