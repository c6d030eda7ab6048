// An in-memory CRI runtime and image service for fast unit tests. It keeps
// sandboxes, containers and images as containerd would report them, records
// every call, and lets a test decide when containers exit, what exec returns
// and which pulls fail.
import { realClock, type Clock } from '../util/clock.js';
import {
  CriError,
  type AuthConfig,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatus,
  type ExecSyncResponse,
  type FilesystemUsage,
  type Image,
  type ImageService,
  type ImageSpec,
  type LinuxContainerResources,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type RuntimeService,
  type RuntimeStatus,
  type StreamRequest,
  type VersionResponse,
} from './types.js';

export interface FakeCall {
  method: string;
  args: unknown[];
}

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: PodSandbox['state'];
  createdAt: bigint;
  ip: string;
  runtimeHandler: string;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  state: Container['state'];
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  message: string;
  imageRef: string;
}

export type ExecHandler = (containerId: string, cmd: string[], timeoutSeconds: number) => ExecSyncResponse | Promise<ExecSyncResponse>;

export interface FakeRuntimeOptions {
  clock?: Clock;
  /** Images present at start (by name); their ref is `sha256:<name>`. */
  images?: string[];
  /** First pod IP handed out; later sandboxes count up the last octet. */
  ipBase?: string;
}

const notFound = (method: string, what: string) => new CriError(method, 'NotFound', `${what} not found`);

function labelsMatch(labels: Record<string, string>, selector?: Record<string, string>): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export class FakeRuntime implements RuntimeService, ImageService {
  readonly calls: FakeCall[] = [];
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images = new Map<string, Image>();
  private readonly pullErrors = new Map<string, Error>();
  private readonly clock: Clock;
  private nextId = 1;
  private nextIp = 2;
  private readonly ipPrefix: string;
  /** Exec results; default exits 0 with no output. */
  execHandler: ExecHandler = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 });
  /** Called after StartContainer succeeds: e.g. make some containers exit at once. */
  onStart: ((c: { id: string; name: string; podUid: string; config: ContainerConfig }) => void) | undefined;
  /** Exit code StopContainer leaves (a process that dies of SIGTERM: 143; of SIGKILL: 137). */
  stopExitCode = 137;
  /** Make the next calls of a method fail with this error (consumed once per call). */
  private readonly failNext = new Map<string, Error[]>();
  /** The runtime's answer to status(); tests flip conditions. */
  runtimeReady = true;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.ipPrefix = (opts.ipBase ?? '10.42.0.2').split('.').slice(0, 3).join('.');
    this.nextIp = Number((opts.ipBase ?? '10.42.0.2').split('.')[3]);
    for (const name of opts.images ?? []) this.addImage(name);
  }

  // ---- test controls ----

  addImage(name: string, ref = `sha256:${Buffer.from(name).toString('hex').slice(0, 16)}`): void {
    this.images.set(name, { id: ref, repo_tags: [name], repo_digests: [], size: '1000', username: '' });
  }

  hasImage(name: string): boolean {
    return this.images.has(name);
  }

  /** Pulls of `image` fail with `err` until cleared (undefined). */
  setPullError(image: string, err: Error | undefined): void {
    if (err) this.pullErrors.set(image, err);
    else this.pullErrors.delete(image);
  }

  /** The next call of `method` throws `err`. */
  failNextCall(method: string, err: Error): void {
    const list = this.failNext.get(method) ?? [];
    list.push(err);
    this.failNext.set(method, list);
  }

  /** A running container's process ends with this exit code. */
  exitContainer(id: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error', message = ''): void {
    const c = this.containers.get(id);
    if (!c) throw notFound('exitContainer', id);
    if (c.state !== 'CONTAINER_RUNNING') return;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.reason = reason;
    c.message = message;
    c.finishedAt = this.nowNs();
  }

  /** An exited container's reason changes afterwards (containerd hears of an OOM kill after the exit). */
  amendExitReason(id: string, reason: string): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_EXITED') throw notFound('amendExitReason', id);
    c.reason = reason;
  }

  /** Containers (all states) whose CRI name is `name`, optionally in one pod; oldest first. */
  containersNamed(name: string, podUid?: string): { id: string; state: Container['state']; attempt: number; sandboxId: string }[] {
    return [...this.containers.values()]
      .filter((c) => c.config.metadata.name === name && (!podUid || this.sandboxes.get(c.sandboxId)?.config.metadata.uid === podUid))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
      .map((c) => ({ id: c.id, state: c.state, attempt: c.config.metadata.attempt, sandboxId: c.sandboxId }));
  }

  /** The running container named `name` (in pod `podUid` if given). */
  runningContainer(name: string, podUid?: string): string | undefined {
    return this.containersNamed(name, podUid).find((c) => c.state === 'CONTAINER_RUNNING')?.id;
  }

  containerConfig(id: string): ContainerConfig | undefined {
    return this.containers.get(id)?.config;
  }

  sandboxList(): { id: string; state: PodSandbox['state']; uid: string; attempt: number }[] {
    return [...this.sandboxes.values()].map((s) => ({ id: s.id, state: s.state, uid: s.config.metadata.uid, attempt: s.config.metadata.attempt }));
  }

  /** Marks a sandbox not ready (its network went away, its pause process died). */
  killSandbox(id: string): void {
    const s = this.sandboxes.get(id);
    if (s) s.state = 'SANDBOX_NOTREADY';
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- RuntimeService ----

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const errs = this.failNext.get(method);
    const err = errs?.shift();
    if (err) throw err;
  }

  private nowNs(): bigint {
    return BigInt(this.clock.now()) * 1_000_000n;
  }

  private newId(): string {
    return (this.nextId++).toString(16).padStart(12, '0') + 'f'.repeat(52);
  }

  async version(): Promise<VersionResponse> {
    this.record('version');
    return { version: '0.1.0', runtime_name: 'fake', runtime_version: '1.0.0', runtime_api_version: 'v1' };
  }

  async status(): Promise<RuntimeStatus> {
    this.record('status');
    return {
      conditions: [
        { type: 'RuntimeReady', status: this.runtimeReady, reason: '', message: '' },
        { type: 'NetworkReady', status: this.runtimeReady, reason: '', message: '' },
      ],
    };
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    this.record('runPodSandbox', config, runtimeHandler);
    const id = this.newId();
    const hostNet = config.linux?.security_context?.namespace_options?.network === 'NODE';
    const ip = hostNet ? '' : `${this.ipPrefix}.${this.nextIp++}`;
    this.sandboxes.set(id, { id, config: structuredClone(config), state: 'SANDBOX_READY', createdAt: this.nowNs(), ip, runtimeHandler });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.record('stopPodSandbox', id);
    const s = this.sandboxes.get(id);
    if (!s) return; // idempotent, as containerd
    for (const c of this.containers.values()) if (c.sandboxId === id) this.stopNow(c);
    s.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(id: string): Promise<void> {
    this.record('removePodSandbox', id);
    const s = this.sandboxes.get(id);
    if (!s) return;
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) this.containers.delete(c.id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus | null> {
    this.record('podSandboxStatus', id);
    const s = this.sandboxes.get(id);
    if (!s) return null;
    return {
      id,
      metadata: { ...s.config.metadata },
      state: s.state,
      created_at: s.createdAt.toString(),
      network: { ip: s.ip, additional_ips: [] },
      labels: { ...s.config.labels },
      annotations: { ...s.config.annotations },
    };
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    this.record('listPodSandbox', filter);
    return [...this.sandboxes.values()]
      .filter((s) => (!filter?.id || s.id === filter.id) && (!filter?.state || s.state === filter.state.state) && labelsMatch(s.config.labels, filter?.label_selector))
      .map((s) => ({
        id: s.id,
        metadata: { ...s.config.metadata },
        state: s.state,
        created_at: s.createdAt.toString(),
        labels: { ...s.config.labels },
        annotations: { ...s.config.annotations },
        runtime_handler: s.runtimeHandler,
      }));
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    this.record('createContainer', sandboxId, config, sandboxConfig);
    if (!sandboxConfig) throw new CriError('createContainer', 'InvalidArgument', 'sandbox config is required');
    const s = this.sandboxes.get(sandboxId);
    if (!s) throw notFound('createContainer', `sandbox ${sandboxId}`);
    if (s.state !== 'SANDBOX_READY') throw new CriError('createContainer', 'FailedPrecondition', `sandbox ${sandboxId} is not ready`);
    const image = this.images.get(config.image.image);
    if (!image) throw notFound('createContainer', `image ${config.image.image}`);
    for (const c of this.containers.values()) {
      if (c.sandboxId === sandboxId && c.config.metadata.name === config.metadata.name && c.config.metadata.attempt === config.metadata.attempt) {
        throw new CriError('createContainer', 'AlreadyExists', `name ${config.metadata.name}_${config.metadata.attempt} is reserved`);
      }
    }
    const id = this.newId();
    this.containers.set(id, {
      id,
      sandboxId,
      config: structuredClone(config),
      state: 'CONTAINER_CREATED',
      createdAt: this.nowNs(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: '',
      message: '',
      imageRef: image.id,
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.record('startContainer', id);
    const c = this.containers.get(id);
    if (!c) throw notFound('startContainer', id);
    if (c.state !== 'CONTAINER_CREATED') throw new CriError('startContainer', 'FailedPrecondition', `container ${id} is ${c.state}`);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.nowNs();
    const podUid = this.sandboxes.get(c.sandboxId)?.config.metadata.uid ?? '';
    this.onStart?.({ id, name: c.config.metadata.name, podUid, config: c.config });
  }

  private stopNow(c: FakeContainer): void {
    if (c.state === 'CONTAINER_RUNNING') {
      c.state = 'CONTAINER_EXITED';
      c.exitCode = this.stopExitCode;
      c.reason = this.stopExitCode === 0 ? 'Completed' : 'Error';
      c.finishedAt = this.nowNs();
    } else if (c.state === 'CONTAINER_CREATED') {
      c.state = 'CONTAINER_EXITED';
      c.exitCode = 0;
      c.finishedAt = this.nowNs();
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.record('stopContainer', id, timeoutSeconds);
    const c = this.containers.get(id);
    if (!c) throw notFound('stopContainer', id);
    this.stopNow(c);
  }

  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', id);
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'CONTAINER_RUNNING') throw new CriError('removeContainer', 'FailedPrecondition', `container ${id} is running`);
    this.containers.delete(id);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    this.record('listContainers', filter);
    return [...this.containers.values()]
      .filter((c) => (!filter?.id || c.id === filter.id) && (!filter?.pod_sandbox_id || c.sandboxId === filter.pod_sandbox_id) && (!filter?.state || c.state === filter.state.state) && labelsMatch(c.config.labels, filter?.label_selector))
      .map((c) => ({
        id: c.id,
        pod_sandbox_id: c.sandboxId,
        metadata: { ...c.config.metadata },
        image: { ...c.config.image },
        image_ref: c.imageRef,
        state: c.state,
        created_at: c.createdAt.toString(),
        labels: { ...c.config.labels },
        annotations: { ...c.config.annotations },
      }));
  }

  async containerStatus(id: string): Promise<ContainerStatus | null> {
    this.record('containerStatus', id);
    const c = this.containers.get(id);
    if (!c) return null;
    return {
      id,
      metadata: { ...c.config.metadata },
      state: c.state,
      created_at: c.createdAt.toString(),
      started_at: c.startedAt.toString(),
      finished_at: c.finishedAt.toString(),
      exit_code: c.exitCode,
      image: { ...c.config.image },
      image_ref: c.imageRef,
      reason: c.reason,
      message: c.message,
      labels: { ...c.config.labels },
      annotations: { ...c.config.annotations },
      mounts: c.config.mounts.map((m) => ({ ...m })),
      log_path: c.config.log_path,
    };
  }

  async updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void> {
    this.record('updateContainerResources', id, resources);
    if (!this.containers.has(id)) throw notFound('updateContainerResources', id);
  }

  async reopenContainerLog(id: string): Promise<void> {
    this.record('reopenContainerLog', id);
  }

  async execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    this.record('execSync', id, cmd, timeoutSeconds);
    const c = this.containers.get(id);
    if (!c) throw notFound('execSync', id);
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('execSync', 'FailedPrecondition', `container ${id} is not running`);
    return this.execHandler(id, cmd, timeoutSeconds);
  }

  async exec(req: StreamRequest): Promise<string> {
    this.record('exec', req);
    return `http://127.0.0.1:0/exec/${req.container_id}`;
  }

  async attach(req: StreamRequest): Promise<string> {
    this.record('attach', req);
    return `http://127.0.0.1:0/attach/${req.container_id}`;
  }

  async portForward(sandboxId: string, ports: number[]): Promise<string> {
    this.record('portForward', sandboxId, ports);
    return `http://127.0.0.1:0/portforward/${sandboxId}`;
  }

  async listContainerStats(filter?: { id?: string; pod_sandbox_id?: string }): Promise<ContainerStats[]> {
    this.record('listContainerStats', filter);
    return [...this.containers.values()]
      .filter((c) => c.state === 'CONTAINER_RUNNING' && (!filter?.id || c.id === filter.id) && (!filter?.pod_sandbox_id || c.sandboxId === filter.pod_sandbox_id))
      .map((c) => ({ attributes: { id: c.id, metadata: { ...c.config.metadata }, labels: { ...c.config.labels }, annotations: { ...c.config.annotations } } }));
  }

  // ---- ImageService ----

  async listImages(filter?: { image?: ImageSpec }): Promise<Image[]> {
    this.record('listImages', filter);
    return [...this.images.entries()].filter(([name]) => !filter?.image?.image || name === filter.image.image).map(([, i]) => structuredClone(i));
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    this.record('imageStatus', image);
    const i = this.images.get(image.image);
    return i ? structuredClone(i) : null;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    this.record('pullImage', image, auth, sandboxConfig);
    const err = this.pullErrors.get(image.image);
    if (err) throw err;
    if (!this.images.has(image.image)) this.addImage(image.image);
    return this.images.get(image.image)!.id;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    this.record('removeImage', image);
    this.images.delete(image.image);
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    this.record('imageFsInfo');
    return [{ timestamp: this.nowNs().toString(), fs_id: { mountpoint: '/fake' }, used_bytes: { value: '0' }, inodes_used: { value: '0' } }];
  }
}
