// The pod lifecycle event generator, relist style: every second, list this
// agent's sandboxes and containers from the runtime and report the pods whose
// objects appeared, vanished or changed state, so they get synced at once.
// What a sync itself read counts as seen (observe), as upstream's pod cache does.
import type { RuntimeService } from '../cri/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { RuntimePod } from './runtime-pod.js';
import { CRI_LABELS, type PodEventSink } from './seams.js';

export class Pleg {
  private last = new Map<string, string>();
  private timer: unknown;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly runtime: RuntimeService,
    private readonly clock: Clock,
    private readonly onChange: PodEventSink,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.running = this.relist().then(() => undefined).finally(() => this.schedule(this.intervalMs));
    }, ms);
  }

  /**
   * A sync read the pod's runtime state itself (and acted on it): the next
   * relist reports the pod only when its objects differ from what that sync
   * saw, so a container the sync just started does not cost a second sync.
   */
  observe(uid: string, rt: RuntimePod): void {
    const seen = new Map<string, string>();
    for (const s of rt.sandboxes) seen.set(`s/${s.id}`, `${uid}|${s.state}`);
    for (const c of rt.containers) seen.set(`c/${c.id}`, `${uid}|${c.state}`);
    for (const [id, v] of this.last) if (v.startsWith(`${uid}|`) && !seen.has(id)) this.last.delete(id);
    for (const [id, v] of seen) this.last.set(id, v);
  }

  /** One relist; returns the pod UIDs that changed. */
  async relist(): Promise<string[]> {
    const selector = { [CRI_LABELS.managedBy]: 'true' };
    let now: Map<string, string>;
    try {
      const [sandboxes, containers] = await Promise.all([this.runtime.listPodSandbox({ label_selector: selector }), this.runtime.listContainers({ label_selector: selector })]);
      now = new Map();
      for (const s of sandboxes) now.set(`s/${s.id}`, `${s.labels[CRI_LABELS.podUid] ?? ''}|${s.state}`);
      for (const c of containers) now.set(`c/${c.id}`, `${c.labels[CRI_LABELS.podUid] ?? ''}|${c.state}`);
    } catch (err) {
      this.log.warn('relist failed', { err });
      return [];
    }
    const changed = new Set<string>();
    for (const [id, v] of now) if (this.last.get(id) !== v) changed.add(v.split('|')[0]!);
    for (const [id, v] of this.last) if (!now.has(id)) changed.add(v.split('|')[0]!);
    this.last = now;
    changed.delete('');
    for (const uid of changed) this.onChange(uid);
    return [...changed];
  }
}
