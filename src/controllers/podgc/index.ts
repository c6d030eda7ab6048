export { podGcController } from './controller.js';
