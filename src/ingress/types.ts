// The networking.k8s.io/v1 shapes the ingress controller reads (only the
// fields it uses), and the constants that name our class.
import type { KubeObject } from '../api/meta.js';

export const INGRESS_CLASS_NAME = 'kubets';
export const INGRESS_CONTROLLER = 'kubets.io/ingress';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** The pre-IngressClass way of naming a class; still honoured upstream. */
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export type PathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';

export interface ServiceBackendPort {
  number?: number;
  name?: string;
}

export interface IngressBackend {
  service?: { name: string; port?: ServiceBackendPort };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface HTTPIngressPath {
  path?: string;
  pathType?: PathType;
  backend: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths: HTTPIngressPath[] };
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: IngressRule[];
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface IngressClass extends KubeObject {
  spec?: { controller?: string; parameters?: unknown };
}

export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}
