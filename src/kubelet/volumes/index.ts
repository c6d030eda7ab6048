export { NodeVolumeManager, type VolumeManagerOptions } from './manager.js';
export { writeAtomically, type Payload, type FileProjection } from './atomic-writer.js';
export { shellMounter, systemMounter, type Mounter } from './mounter.js';
export { removeOrphanLocalPathDirs } from './local-path-gc.js';
