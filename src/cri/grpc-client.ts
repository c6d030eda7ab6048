// CriClient: the CRI (runtime.v1) over a unix socket with @grpc/grpc-js.
// Implements RuntimeService and ImageService from ./types.ts; every call has
// a deadline, and gRPC failures become CriError with the status code name.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { RUNTIME_V1_PROTO } from './proto/runtime-proto.js';
import { grpcCodeName } from './grpc-status.js';
import {
  CriError,
  type AuthConfig,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatsFilter,
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

/** Loader options per runtime-notes: int64 as decimal strings, enums by name, defaults filled. */
const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

let cachedPackage: grpc.GrpcObject | undefined;
/** The loaded runtime.v1 package (RuntimeService, ImageService constructors and their service definitions). */
export function runtimeV1(): grpc.GrpcObject {
  if (!cachedPackage) {
    const parsed = protobuf.parse(RUNTIME_V1_PROTO, { keepCase: true });
    const def = protoLoader.fromJSON(parsed.root.toJSON(), LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(def) as { runtime: { v1: grpc.GrpcObject } };
    cachedPackage = pkg.runtime.v1;
  }
  return cachedPackage;
}

export interface CriClientOptions {
  /** Deadline of ordinary calls (upstream's kubelet uses 2 minutes). */
  timeoutMs?: number;
  /** Deadline of PullImage. */
  pullTimeoutMs?: number;
}

type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

export class CriClient implements RuntimeService, ImageService {
  private readonly runtime: grpc.Client;
  private readonly images: grpc.Client;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;

  /** socket: a unix socket path, e.g. /run/kubets/containerd.sock. */
  constructor(
    readonly socket: string,
    opts: CriClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 600_000;
    const pkg = runtimeV1();
    const target = `unix://${socket}`;
    const channelOptions: grpc.ChannelOptions = {
      // ExecSync output may be up to 16 MiB per stream.
      'grpc.max_receive_message_length': 40 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      // A local socket: after a runtime restart, reconnect within a couple of
      // seconds instead of grpc's default back-off of up to two minutes.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2_000,
    };
    const creds = grpc.credentials.createInsecure();
    const Runtime = pkg.RuntimeService as grpc.ServiceClientConstructor;
    const Images = pkg.ImageService as grpc.ServiceClientConstructor;
    this.runtime = new Runtime(target, creds, channelOptions);
    this.images = new Images(target, creds, { ...channelOptions, channelOverride: this.runtime.getChannel() });
  }

  close(): void {
    this.images.close();
    this.runtime.close();
  }

  private call<T>(client: grpc.Client, method: string, req: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const fn = (client as unknown as Record<string, Unary>)[method];
    if (typeof fn !== 'function') return Promise.reject(new CriError(method, 'Unimplemented', 'not in our proto'));
    return new Promise<T>((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, grpcCodeName(err.code), err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  private rt<T>(method: string, req: unknown, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.runtime, method, req, timeoutMs);
  }

  private img<T>(method: string, req: unknown, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.images, method, req, timeoutMs);
  }

  /** Resolves null for NotFound instead of failing. */
  private async orNull<T>(p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (err) {
      if (err instanceof CriError && err.code === 'NotFound') return null;
      throw err;
    }
  }

  // ---- RuntimeService ----
  // Stop and Remove are idempotent in the CRI contract, but containerd 1.6
  // answers NotFound for objects already removed: that counts as done.
  version(): Promise<VersionResponse> {
    return this.rt('Version', { version: 'v1' });
  }

  async status(): Promise<RuntimeStatus> {
    const res = await this.rt<{ status: RuntimeStatus | null }>('Status', { verbose: false });
    return res.status ?? { conditions: [] };
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const res = await this.rt<{ pod_sandbox_id: string }>('RunPodSandbox', { config, runtime_handler: runtimeHandler });
    return res.pod_sandbox_id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.orNull(this.rt('StopPodSandbox', { pod_sandbox_id: podSandboxId }));
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.orNull(this.rt('RemovePodSandbox', { pod_sandbox_id: podSandboxId }));
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus | null> {
    const res = await this.orNull(this.rt<{ status: PodSandboxStatus | null }>('PodSandboxStatus', { pod_sandbox_id: podSandboxId }));
    return res?.status ?? null;
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const res = await this.rt<{ items: PodSandbox[] }>('ListPodSandbox', { filter: filter ?? null });
    return res.items;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const res = await this.rt<{ container_id: string }>('CreateContainer', { pod_sandbox_id: podSandboxId, config, sandbox_config: sandboxConfig });
    return res.container_id;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.rt('StartContainer', { container_id: containerId });
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    // The runtime waits up to the grace period itself; leave room beyond it.
    await this.orNull(this.rt('StopContainer', { container_id: containerId, timeout: String(timeoutSeconds) }, this.timeoutMs + timeoutSeconds * 1000));
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.orNull(this.rt('RemoveContainer', { container_id: containerId }));
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const res = await this.rt<{ containers: Container[] }>('ListContainers', { filter: filter ?? null });
    return res.containers;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus | null> {
    const res = await this.orNull(this.rt<{ status: ContainerStatus | null }>('ContainerStatus', { container_id: containerId }));
    return res?.status ?? null;
  }

  async updateContainerResources(containerId: string, resources: LinuxContainerResources): Promise<void> {
    await this.rt('UpdateContainerResources', { container_id: containerId, linux: resources });
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.rt('ReopenContainerLog', { container_id: containerId });
  }

  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    // timeout 0 means "no limit" to the runtime; our deadline still bounds it.
    const deadline = timeoutSeconds > 0 ? timeoutSeconds * 1000 + 10_000 : this.timeoutMs;
    return this.rt('ExecSync', { container_id: containerId, cmd, timeout: String(timeoutSeconds) }, deadline);
  }

  async exec(req: StreamRequest): Promise<string> {
    const res = await this.rt<{ url: string }>('Exec', streamRequest(req));
    return res.url;
  }

  async attach(req: StreamRequest): Promise<string> {
    const res = await this.rt<{ url: string }>('Attach', streamRequest(req));
    return res.url;
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    const res = await this.rt<{ url: string }>('PortForward', { pod_sandbox_id: podSandboxId, port: ports });
    return res.url;
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const res = await this.rt<{ stats: ContainerStats[] }>('ListContainerStats', { filter: filter ?? null });
    return res.stats;
  }

  async containerStats(containerId: string): Promise<ContainerStats | null> {
    const res = await this.orNull(this.rt<{ stats: ContainerStats | null }>('ContainerStats', { container_id: containerId }));
    return res?.stats ?? null;
  }

  async updateRuntimeConfig(podCidr: string): Promise<void> {
    await this.rt('UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: podCidr } } });
  }

  // ---- ImageService ----
  async listImages(filter?: { image?: ImageSpec }): Promise<Image[]> {
    const res = await this.img<{ images: Image[] }>('ListImages', { filter: filter ?? null });
    return res.images;
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    // A missing image is OK with an empty image (runtime-notes 10), or NotFound on some runtimes.
    const res = await this.orNull(this.img<{ image: Image | null }>('ImageStatus', { image }));
    return res?.image?.id ? res.image : null;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const res = await this.img<{ image_ref: string }>('PullImage', { image, auth: auth ? withSchemeServerAddress(auth) : null, sandbox_config: sandboxConfig ?? null }, this.pullTimeoutMs);
    return res.image_ref;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    await this.img('RemoveImage', { image });
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const res = await this.img<{ image_filesystems: FilesystemUsage[] }>('ImageFsInfo', {});
    return res.image_filesystems;
  }
}

/**
 * containerd 1.6 parses AuthConfig.server_address as a URL and compares its
 * host with the registry's: a bare "host:port" fails to parse and a bare
 * "host" never matches, so the credentials are dropped. Give it a scheme.
 */
export function withSchemeServerAddress(auth: AuthConfig): AuthConfig {
  const addr = auth.server_address;
  if (!addr || addr.includes('://')) return auth;
  return { ...auth, server_address: `https://${addr}` };
}

/** Exec/Attach request: stdout by default, stderr unless a TTY merges it (the CRI forbids both). */
function streamRequest(req: StreamRequest): Required<Omit<StreamRequest, 'cmd'>> & { cmd: string[] } {
  const tty = req.tty ?? false;
  return { container_id: req.container_id, cmd: req.cmd ?? [], tty, stdin: req.stdin ?? false, stdout: req.stdout ?? true, stderr: tty ? false : (req.stderr ?? true) };
}
