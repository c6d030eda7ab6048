export { endpointSliceController } from './controller.js';
