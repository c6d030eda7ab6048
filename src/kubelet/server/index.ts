export { startKubeletServer, DEFAULT_KUBELET_PORT, certificateUser } from './kubelet-server.js';
export type { KubeletServer, KubeletServerOptions, KubeletPodSource, ContainerRef, KubeletAuthorizer, KubeletUser, KubeletRequestAttributes } from './types.js';
