export { rootCaCertPublisher, ROOT_CA_CONFIGMAP } from './controller.js';
