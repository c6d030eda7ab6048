// KubeClient: the entry point components hold. Typed resource clients for the
// built-ins, any other resource by descriptor, and the pod/serviceaccount
// subresources controllers and the scheduler call.
import type { KubeObject } from '../api/meta.js';
import type { DeleteOptions, WriteOptions } from './resource-client.js';
import { ResourceClient } from './resource-client.js';
import { loadKubeconfig, type ClientConfig } from './kubeconfig.js';
import { RESOURCES, resourceKey, type ResourceDescriptor } from './resources.js';
import { ApiClient, type ApiClientOptions } from './transport.js';
import type { Deployment, EndpointSlice, Job, Lease, Node, Pod, ReplicaSet, Service } from './types.js';
import type { Status } from './errors.js';

export interface TokenRequestOptions {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { apiVersion?: string; kind: string; name: string; uid?: string };
}

export interface TokenRequestStatus {
  token: string;
  expirationTimestamp: string;
}

export class KubeClient {
  private readonly clients = new Map<string, ResourceClient<KubeObject>>();

  constructor(readonly api: ApiClient) {}

  static fromConfig(config: ClientConfig, opts: ApiClientOptions = {}): KubeClient {
    return new KubeClient(new ApiClient(config, opts));
  }

  static fromKubeconfig(file: string, opts: ApiClientOptions & { context?: string } = {}): KubeClient {
    return KubeClient.fromConfig(loadKubeconfig(file, { context: opts.context }), opts);
  }

  /** The client for any resource (CRDs included); one instance per resource. */
  resource<T extends KubeObject = KubeObject>(r: ResourceDescriptor): ResourceClient<T> {
    const key = resourceKey(r);
    let c = this.clients.get(key);
    if (!c) this.clients.set(key, (c = new ResourceClient<KubeObject>(this.api, r)));
    return c as unknown as ResourceClient<T>;
  }

  get namespaces() { return this.resource(RESOURCES.namespaces); }
  get nodes() { return this.resource<Node>(RESOURCES.nodes); }
  get pods() { return this.resource<Pod>(RESOURCES.pods); }
  get services() { return this.resource<Service>(RESOURCES.services); }
  get endpoints() { return this.resource(RESOURCES.endpoints); }
  get configmaps() { return this.resource(RESOURCES.configmaps); }
  get secrets() { return this.resource(RESOURCES.secrets); }
  get serviceaccounts() { return this.resource(RESOURCES.serviceaccounts); }
  get events() { return this.resource(RESOURCES.events); }
  get deployments() { return this.resource<Deployment>(RESOURCES.deployments); }
  get replicasets() { return this.resource<ReplicaSet>(RESOURCES.replicasets); }
  get statefulsets() { return this.resource(RESOURCES.statefulsets); }
  get daemonsets() { return this.resource(RESOURCES.daemonsets); }
  get controllerrevisions() { return this.resource(RESOURCES.controllerrevisions); }
  get jobs() { return this.resource<Job>(RESOURCES.jobs); }
  get cronjobs() { return this.resource(RESOURCES.cronjobs); }
  get endpointslices() { return this.resource<EndpointSlice>(RESOURCES.endpointslices); }
  get leases() { return this.resource<Lease>(RESOURCES.leases); }
  get poddisruptionbudgets() { return this.resource(RESOURCES.poddisruptionbudgets); }
  get persistentvolumeclaims() { return this.resource(RESOURCES.persistentvolumeclaims); }
  get persistentvolumes() { return this.resource(RESOURCES.persistentvolumes); }

  /** pods/binding: assigns a pod to a node (the scheduler's write). */
  bind(ns: string, pod: string, node: string, opts: WriteOptions & { podUID?: string } = {}): Promise<Status> {
    const metadata: Record<string, string> = { name: pod, namespace: ns };
    if (opts.podUID) metadata.uid = opts.podUID;
    return this.pods.createSubresource<Status>(ns, pod, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata,
      target: { apiVersion: 'v1', kind: 'Node', name: node },
    }, opts);
  }

  /** pods/eviction: a delete that respects PodDisruptionBudgets (429 when one forbids it). */
  evict(ns: string, pod: string, deleteOptions?: DeleteOptions): Promise<Status> {
    const body: Record<string, unknown> = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns } };
    if (deleteOptions) body.deleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', ...deleteOptions };
    return this.pods.createSubresource<Status>(ns, pod, 'eviction', body);
  }

  /** serviceaccounts/token: a signed token for the account. */
  async createToken(ns: string, serviceAccount: string, opts: TokenRequestOptions = {}): Promise<TokenRequestStatus> {
    const spec: Record<string, unknown> = { audiences: opts.audiences ?? [] };
    if (opts.expirationSeconds !== undefined) spec.expirationSeconds = opts.expirationSeconds;
    if (opts.boundObjectRef) spec.boundObjectRef = opts.boundObjectRef;
    const reply = await this.serviceaccounts.createSubresource<{ status: TokenRequestStatus }>(ns, serviceAccount, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: serviceAccount, namespace: ns },
      spec,
    });
    return reply.status;
  }

  close(): void {
    this.api.close();
  }
}
