export { NodeVolumeManager, type VolumeManagerOptions } from './manager.js';
export { writeAtomically, type Payload, type FileProjection } from './atomic-writer.js';
export { systemMounter, type Mounter } from './mounter.js';
