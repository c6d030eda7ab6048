export { namespaceController, namespaceControllerWith, NamespaceController, KUBERNETES_FINALIZER, type NamespaceControllerOptions } from './controller.js';
export { discoverNamespacedResources } from './discovery.js';
