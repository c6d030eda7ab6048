// The agent's container runtime in one piece: a supervised private containerd
// under DATA_DIR/agent/containerd, its CNI network (written once the node's
// podCIDR is known), the air-gapped images imported, and a CRI client.
import { join } from 'node:path';
import { CriClient } from '../cri/grpc-client.js';
import { silentLogger, type Logger } from '../util/log.js';
import { ContainerdSupervisor } from './containerd/supervisor.js';
import type { RegistryHost } from './containerd/registry-hosts.js';
import { writeCniConflist } from './cni/conflist.js';
import { importImageDir } from './images/import.js';
import { PAUSE_IMAGE } from './images/names.js';
import { BUILT_IMAGES_DIR } from './images/builtin.js';

export interface NodeRuntimeOptions {
  /** The agent dir (DATA_DIR/agent): containerd/ and cni/ go under it. */
  agentDir: string;
  /** Directories of image archives to import at start (default: build/images, then DATA_DIR/images if given). */
  imageDirs?: string[];
  /** The node's podCIDR, if already known (else call setPodCIDR later). */
  podCIDR?: string;
  /** Run containerd in this network namespace (multi-node on one machine). */
  netnsPath?: string;
  registries?: RegistryHost[];
  /** The OCI runtime binary the shims run (default runc). */
  runtimeBinary?: string;
  log?: Logger;
}

export class NodeRuntime {
  readonly supervisor: ContainerdSupervisor;
  readonly cri: CriClient;
  private readonly log: Logger;

  constructor(private readonly opts: NodeRuntimeOptions) {
    this.log = opts.log ?? silentLogger;
    this.supervisor = new ContainerdSupervisor({ dir: join(opts.agentDir, 'containerd'), sandboxImage: PAUSE_IMAGE, netnsPath: opts.netnsPath, registries: opts.registries, runtimeBinary: opts.runtimeBinary, log: this.log });
    this.cri = new CriClient(this.supervisor.socket);
  }

  get socket(): string {
    return this.supervisor.socket;
  }

  async start(): Promise<void> {
    if (this.opts.podCIDR) this.setPodCIDR(this.opts.podCIDR);
    await this.supervisor.start();
    // The pause image must be there before the first sandbox (runtime-notes 7).
    for (const dir of this.opts.imageDirs ?? [BUILT_IMAGES_DIR]) {
      const r = await importImageDir(dir, { socket: this.socket, log: this.log });
      if (r.imported.length) this.log.info('images imported', { dir, archives: r.imported.length });
    }
  }

  /** Writes the CNI network for the node's podCIDR; containerd picks it up while running. */
  setPodCIDR(podCIDR: string, opts: { ipMasq?: boolean } = {}): void {
    // ipMasq false when the network plugin masquerades by cluster CIDR, so pod-to-pod traffic across nodes keeps its source IP.
    writeCniConflist(this.supervisor.layout.cniConfDir, { podCIDR, ipamDataDir: join(this.opts.agentDir, 'cni', 'ipam'), ipMasq: opts.ipMasq });
  }

  /** Stops containerd and, unless keepContainers, this instance's shims and containers. */
  async stop(opts: { keepContainers?: boolean } = {}): Promise<void> {
    this.cri.close();
    await this.supervisor.stop(opts);
  }
}
