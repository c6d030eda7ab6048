// Simulated (KWOK-like) nodes: see README.md.
export { startSimulatedNodes, type SimHandle, type SimOptions, type SimStats } from './simulator.js';
export { defaultStages, type DefaultStageTimings } from './stages/default-stages.js';
export { loadStageConfigFile, parseStageConfig } from './stages/load.js';
export type { ContainerTemplate, FieldExpression, Stage, StageConfig, StageDelay, StageNext, StageSelector } from './stages/types.js';
export { COMPLETE_AFTER_ANNOTATION, EXIT_CODE_ANNOTATION, KWOK_COMPLETE_AFTER_ANNOTATION } from './stages/annotations.js';
export { SIM_KUBELET_VERSION, SIM_NODE_LABEL, NODE_LEASE_NAMESPACE } from './node-object.js';
export { SimConfigError } from './errors.js';
export { parseDuration } from './duration.js';
