// The kubets API client: what the controller manager, scheduler and agents use
// to talk to the API server.
export * from './client.js';
export * from './controller.js';
export * from './errors.js';
export * from './expectations.js';
export * from './informer.js';
export * from './informer-factory.js';
export * from './kubeconfig.js';
export * from './leader-election.js';
export * from './list-watch.js';
export * from './rate-limiter.js';
export * from './resource-client.js';
export * from './resources.js';
export * from './store.js';
export * from './transport.js';
export * from './types.js';
export * from './watch.js';
export * from './work-queue.js';
