// Stands in for a kubelet in controller tests: every new pod the filter
// accepts is marked Running and Ready at once (no scheduling, no containers).
import type { KubeClient } from '../client/client.js';
import type { SharedInformerFactory } from '../client/informer-factory.js';
import { RESOURCES } from '../client/resources.js';
import type { Pod } from '../client/types.js';

export function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The status a kubelet would report for a running, ready pod. */
export function readyStatus(pod: Pod): Pod {
  const now = rfc3339Now();
  return {
    ...pod,
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      ],
    },
  };
}

/** Starts marking pods ready; returns a function that stops it. */
export function autoReadyPods(client: KubeClient, informers: SharedInformerFactory, filter: (p: Pod) => boolean = () => true): () => void {
  const reg = informers.informer<Pod>(RESOURCES.pods).addEventHandler({
    onAdd: (p) => {
      if (p.status?.phase === 'Running' || p.metadata.deletionTimestamp || !filter(p)) return;
      client.pods.updateStatus(readyStatus(p)).catch(() => {});
    },
  });
  informers.start();
  return () => reg.remove();
}
