// DefaultBinder: writes the binding through an injected function (the
// integrator's pods/binding call), so the plugin stays free of I/O.
import type { PodInfo } from '../cache/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { BindPlugin } from '../framework/interfaces.js';
import { Status } from '../framework/status.js';
import type { Pod } from '../types.js';

export const DEFAULT_BINDER = 'DefaultBinder';

export type BindFn = (pod: Pod, nodeName: string) => Promise<void>;

export class DefaultBinderPlugin implements BindPlugin {
  readonly name = DEFAULT_BINDER;
  constructor(private readonly bindFn: BindFn | undefined) {}

  async bind(_s: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    if (!this.bindFn) return Status.error('DefaultBinder: no bind function configured');
    try {
      await this.bindFn(pod.pod, nodeName);
      return Status.SUCCESS;
    } catch (e) {
      return Status.error(e);
    }
  }
}
