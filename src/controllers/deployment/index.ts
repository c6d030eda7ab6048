export { deploymentController, DeploymentController } from './controller.js';
export { computeTemplateHash, POD_TEMPLATE_HASH_LABEL } from './hash.js';
export { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, CHANGE_CAUSE_ANNOTATION } from './annotations.js';
export { calculateStatus, REASONS } from './conditions.js';
export { maxSurge, maxUnavailable, resolveFenceposts } from './intstr.js';
