// Pods nominated to a node by preemption but not yet bound. Filters treat
// them as present (when at least as important as the pod being scheduled),
// so the room preemption freed is not taken by someone else.
import { PodInfo } from '../cache/pod-info.js';
import { podKey, type Pod } from '../types.js';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  /** Records (or moves) the nomination; an empty node name clears it. */
  add(pod: Pod, nodeName: string): void {
    this.delete(pod);
    if (!nodeName) return;
    const key = podKey(pod);
    let pods = this.byNode.get(nodeName);
    if (!pods) this.byNode.set(nodeName, (pods = new Map()));
    pods.set(key, new PodInfo(pod));
    this.nodeOf.set(key, nodeName);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(node)!;
    pods.delete(key);
    if (pods.size === 0) this.byNode.delete(node);
  }

  podsOn(nodeName: string): readonly PodInfo[] {
    const pods = this.byNode.get(nodeName);
    return pods ? [...pods.values()] : NONE;
  }

  nominatedNode(pod: Pod): string | undefined {
    return this.nodeOf.get(podKey(pod));
  }
}

const NONE: readonly PodInfo[] = Object.freeze([]);
