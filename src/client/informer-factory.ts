// One informer per resource for a whole process, so the controllers that
// watch pods share one list-watch and one cache, as client-go's factory does.
import type { KubeObject } from '../api/meta.js';
import type { KubeClient } from './client.js';
import { SharedInformer, type InformerOptions } from './informer.js';
import { listWatchFor } from './list-watch.js';
import { resourceKey, type ResourceDescriptor } from './resources.js';

export interface InformerFactoryOptions extends Omit<InformerOptions<KubeObject>, 'indexers'> {
  /** Restrict every informer to one namespace; all namespaces by default. */
  namespace?: string;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private started = false;

  constructor(private readonly client: KubeClient, private readonly opts: InformerFactoryOptions = {}) {}

  /** The shared informer for a resource; created on first request, started by `start()` (or at once if already started). */
  informer<T extends KubeObject = KubeObject>(r: ResourceDescriptor): SharedInformer<T> {
    const key = resourceKey(r);
    let inf = this.informers.get(key);
    if (!inf) {
      const { namespace, ...informerOpts } = this.opts;
      inf = new SharedInformer<KubeObject>(listWatchFor(this.client.resource(r), namespace), informerOpts);
      this.informers.set(key, inf);
      if (this.started) inf.run();
    }
    return inf as unknown as SharedInformer<T>;
  }

  /** Runs every informer requested so far (and later ones as they are requested). */
  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.run();
  }

  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
