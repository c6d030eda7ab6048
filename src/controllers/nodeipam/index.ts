export { nodeIpamController } from './controller.js';
