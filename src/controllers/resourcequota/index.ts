export { resourceQuotaController } from './controller.js';
