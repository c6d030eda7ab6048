export { serviceLbController, lbAddresses } from './controller.js';
