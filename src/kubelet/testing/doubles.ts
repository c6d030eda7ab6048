// Test doubles for the kubelet's seams (volumes, CRI config, status writes),
// shared by its unit tests. Not used outside tests.
import type { Container, Pod, PodStatus } from '../../api/core-v1.js';
import type { ContainerConfig, PodSandboxConfig } from '../../cri/types.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { FakeRuntime } from '../../cri/fake-runtime.js';
import { ImageManager } from '../images/image-manager.js';
import type { SecretLike } from '../images/pull-secrets.js';
import { PodSyncer } from '../pod-sync.js';
import { ProbeManager } from '../prober/probe-manager.js';
import type { ContainerContext, RuntimeConfigBuilder, SandboxContext, VolumeManager } from '../seams.js';
import type { StatusManager } from '../status/status-manager.js';

export class RecordingVolumes implements VolumeManager {
  readonly setUps: string[] = [];
  readonly tearDowns: string[] = [];
  /** Makes setUp fail with this message while set. */
  failWith: string | undefined;
  constructor(private readonly order?: string[]) {}
  async setUp(pod: Pod) {
    this.setUps.push(pod.metadata.uid!);
    if (this.failWith) throw new Error(this.failWith);
    return new Map<string, string>();
  }
  async tearDown(uid: string) {
    this.tearDowns.push(uid);
    this.order?.push(`tearDown ${uid}`);
  }
  /** What listPodDirs reports (pod directories left on the node). */
  leftDirs: string[] = [];
  async listPodDirs() {
    return this.leftDirs.filter((u) => !this.tearDowns.includes(u));
  }
}

export class SimpleConfig implements RuntimeConfigBuilder {
  async sandboxConfig(pod: Pod, ctx: SandboxContext): Promise<PodSandboxConfig> {
    return {
      metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid!, attempt: ctx.attempt },
      hostname: pod.metadata.name!,
      log_directory: `/var/log/pods/${pod.metadata.uid}`,
      port_mappings: [],
      labels: {},
      annotations: {},
      linux: { cgroup_parent: '', security_context: { namespace_options: { network: pod.spec.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    };
  }
  async containerConfig(_pod: Pod, c: Container, ctx: ContainerContext): Promise<ContainerConfig> {
    return {
      metadata: { name: c.name, attempt: ctx.restartCount },
      image: { image: c.image! },
      command: c.command ?? [],
      args: c.args ?? [],
      working_dir: '',
      envs: [{ key: 'POD_IP', value: ctx.podIP }],
      mounts: [],
      labels: {},
      annotations: {},
      log_path: `${c.name}/${ctx.restartCount}.log`,
      stdin: false,
      stdin_once: false,
      tty: false,
    };
  }
}

/** Records status writes and pod deletions instead of calling an API server. */
export class RecordingStatus {
  readonly deleted: string[] = [];
  readonly written: PodStatus[] = [];
  constructor(private readonly order?: string[]) {}
  async setStatus(_pod: Pod, s: PodStatus) {
    this.written.push(s);
    return s;
  }
  async deletePod(pod: Pod) {
    this.deleted.push(pod.metadata.uid!);
    this.order?.push(`delete ${pod.metadata.uid}`);
  }
  lastWritten() {
    return undefined;
  }
  forget() {}
}

export interface SyncRig {
  clock: FakeClock;
  runtime: FakeRuntime;
  volumes: RecordingVolumes;
  status: RecordingStatus;
  probes: ProbeManager;
  syncer: PodSyncer;
  changed: string[];
  secrets: Map<string, SecretLike>;
  order: string[];
  /** Events the syncer recorded, as "<type> <reason>". */
  events: string[];
}

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export function syncRig(opts: { images?: string[]; runtime?: FakeRuntime; clock?: FakeClock } = {}): SyncRig {
  const clock = opts.clock ?? new FakeClock(T0);
  const runtime = opts.runtime ?? new FakeRuntime({ clock, images: opts.images ?? ['busybox:1.35'] });
  const order: string[] = [];
  const volumes = new RecordingVolumes(order);
  const status = new RecordingStatus(order);
  const changed: string[] = [];
  const probes = new ProbeManager({ runtime, clock, log: silentLogger, onChange: (uid) => changed.push(uid) });
  const secrets = new Map<string, SecretLike>();
  const images = new ImageManager(runtime, async (ns, name) => secrets.get(`${ns}/${name}`), clock);
  const events: string[] = [];
  const event = (_pod: Pod, type: string, reason: string) => void events.push(`${type} ${reason}`);
  const syncer = new PodSyncer({ runtime, images, volumes, config: new SimpleConfig(), probes, status: status as unknown as StatusManager, clock, log: silentLogger, hostIPs: ['192.0.2.10'], event });
  return { clock, runtime, volumes, status, probes, syncer, changed, secrets, order, events };
}

let seq = 0;
export function testPod(spec: Partial<Pod['spec']> & { containers: Container[] }, meta: Partial<Pod['metadata']> = {}): Pod {
  seq++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${seq}`, namespace: 'default', uid: `uid-${seq}`, ...meta },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}
