// The kubelet server's view of pods and containers, read from the runtime by
// the labels every container carries, so it works for adopted containers
// and for `logs --previous` after a restart.
import type { Pod } from '../api/core-v1.js';
import type { Container, RuntimeService } from '../cri/types.js';
import type { ContainerRef, KubeletPodSource } from './server/types.js';
import { CRI_LABELS } from './seams.js';

export interface PodLookup {
  list(): Promise<Pod[]>;
  get(namespace: string, name: string): Promise<Pod | null>;
}

const newestFirst = (a: Container, b: Container) => b.metadata.attempt - a.metadata.attempt || Number(BigInt(b.created_at) - BigInt(a.created_at));

export function runtimePodSource(runtime: RuntimeService, pods: PodLookup): KubeletPodSource {
  return {
    listPods: () => pods.list(),
    getPod: (ns, name) => pods.get(ns, name),
    async findContainer(ns, pod, container, previous): Promise<ContainerRef | null> {
      // The pod's UID tells apart a pod recreated under the same name (StatefulSets).
      const uid = (await pods.get(ns, pod))?.metadata.uid;
      const labels: Record<string, string> = { [CRI_LABELS.podNamespace]: ns, [CRI_LABELS.podName]: pod, [CRI_LABELS.containerName]: container, ...(uid ? { [CRI_LABELS.podUid]: uid } : {}) };
      const found = (await runtime.listContainers({ label_selector: labels })).sort(newestFirst);
      const c = previous ? found[1] : found[0];
      if (!c) return null;
      const status = await runtime.containerStatus(c.id);
      if (!status) return null;
      return { containerId: c.id, logPath: status.log_path, sandboxId: c.pod_sandbox_id };
    },
    async findSandbox(ns, pod) {
      const ready = await runtime.listPodSandbox({ label_selector: { [CRI_LABELS.podNamespace]: ns, [CRI_LABELS.podName]: pod }, state: { state: 'SANDBOX_READY' } });
      return ready[0] ? { sandboxId: ready[0].id } : null;
    },
  };
}
