export { ttlAfterFinishedController } from './controller.js';
export { timeLeftMs, finishedAtMs } from './expiry.js';
