// Root CA publisher: every namespace holds ConfigMap kube-root-ca.crt with
// the cluster CA bundle (key ca.crt), put back when edited or deleted, so
// pods can verify the API server (the kube-api-access volume reads it).
import type { KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { runController } from '../workloads-shared/run-controller.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc.';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

class RootCaCertPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  private readonly queue: RateLimitingQueue<string>;
  private readonly namespaces;
  private readonly configMaps;
  private readonly caPem: string;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.namespaces = ctx.informers.informer(RESOURCES.namespaces);
    this.configMaps = ctx.informers.informer<ConfigMap>(RESOURCES.configmaps);
    this.caPem = ctx.options.rootCaPem ?? ctx.client.api.config.ca?.toString('utf8') ?? '';
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!this.caPem) {
      this.ctx.logger.warn('root CA publisher: no CA bundle known; not publishing');
      return;
    }
    const ns = (o: KubeObject) => this.queue.add(o.metadata.name ?? '');
    const cm = (o: KubeObject) => {
      if (o.metadata.name === ROOT_CA_CONFIGMAP && o.metadata.namespace) this.queue.add(o.metadata.namespace);
    };
    const hs = [
      this.namespaces.addEventHandler({ onAdd: ns, onUpdate: (_o, n) => ns(n) }),
      this.configMaps.addEventHandler({ onUpdate: (_o, n) => cm(n), onDelete: (o) => cm(deletedObject(o)) }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of hs) h.remove();
    }
  }

  async reconcile(namespace: string): Promise<void> {
    const ns = this.namespaces.store.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
    const data = { 'ca.crt': this.caPem };
    const cur = this.configMaps.store.get(`${namespace}/${ROOT_CA_CONFIGMAP}`);
    if (!cur) {
      try {
        await this.ctx.client.configmaps.create(namespace, { metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { 'kubernetes.io/description': DESCRIPTION } }, data } as ConfigMap);
      } catch (err) {
        // A lagging cache or a namespace going away; the next event retries.
        if (!isAlreadyExists(err) && !isNotFound(err)) throw err;
      }
      return;
    }
    if (cur.data?.['ca.crt'] === this.caPem && Object.keys(cur.data).length === 1) return;
    await this.ctx.client.configmaps.update({ ...cur, data } as ConfigMap);
  }
}

export const rootCaCertPublisher: ControllerFactory = (ctx) => new RootCaCertPublisher(ctx);
