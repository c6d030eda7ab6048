// The list and watch calls an informer makes, as a seam: the real one goes
// through a ResourceClient, tests substitute a fake.
import type { KubeObject } from '../api/meta.js';
import type { ListResult, ResourceClient, SelectorOptions, WatchOptions } from './resource-client.js';
import type { WatchEvent, WatchHandle } from './watch.js';

export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(opts: { resourceVersion?: string }): Promise<ListResult<T>>;
  watch(opts: Omit<WatchOptions, keyof SelectorOptions>, onEvent: (e: WatchEvent<T>) => void): Promise<WatchHandle>;
}

/** List/watch one resource, in one namespace or all (`namespace` undefined), with optional selectors. */
export function listWatchFor<T extends KubeObject>(rc: ResourceClient<T>, namespace?: string, selectors: SelectorOptions = {}): ListerWatcher<T> {
  return {
    list: (opts) => rc.listAll(namespace, { ...selectors, resourceVersion: opts.resourceVersion }),
    watch: (opts, onEvent) => rc.watch(namespace, { ...selectors, ...opts }, onEvent),
  };
}
