export { endpointsController } from './controller.js';
