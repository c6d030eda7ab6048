// NodeVolumeManager: prepares a pod's volumes under
// `<podsDir>/<uid>/volumes/<plugin>/<name>` and tears them down.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Pod, Volume } from '../../api/core-v1.js';
import { parseQuantity, value as quantityValue } from '../../api/quantity.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { VolumeSetupError } from '../errors.js';
import type { ObjectSource } from '../object-source.js';
import type { VolumeManager, VolumePaths } from '../seams.js';
import { PayloadPathError, writeAtomically, type Payload } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import { isMountPoint, shellMounter, type Mounter } from './mounter.js';
import { configMapPayload, DEFAULT_MODE, downwardApiPayload, secretPayload, TokenCache } from './projections.js';

export interface VolumeManagerOptions {
  /** `<agentDir>/pods` */
  podsDir: string;
  objects: ObjectSource;
  nodeName: string;
  clock?: Clock;
  mounter?: Mounter;
  /** Limits that downward API resourceFieldRefs fall back to. */
  nodeAllocatable?: () => Record<string, string>;
  log?: Logger;
}

/** Upstream's plugin directory names, so the layout is familiar. */
const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

/** The runAsUser every container shares (container setting, else the pod's), if they all share one. */
export function commonRunAsUser(pod: Pod): number | undefined {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let uid: number | undefined;
  for (const c of all) {
    const u = c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
    if (u === undefined) return undefined;
    if (uid !== undefined && uid !== u) return undefined;
    uid = u;
  }
  return uid;
}

export class NodeVolumeManager implements VolumeManager {
  private readonly clock: Clock;
  private readonly mounter: Mounter;
  private readonly tokens: TokenCache;
  private readonly log: Logger;
  /** Volumes that fell back to a plain 0700 directory because tmpfs could not be mounted. */
  readonly tmpfsFallbacks = new Set<string>();
  /**
   * tmpfs volumes this manager mounted or found mounted: a pod's every sync
   * sets its volumes up again, and reading the node's mount table (hundreds
   * of lines with a few dozen pods) each time cost more than the rest of it.
   */
  private readonly tmpfsMounted = new Set<string>();

  constructor(private readonly opts: VolumeManagerOptions) {
    this.clock = opts.clock ?? realClock;
    this.mounter = opts.mounter ?? shellMounter();
    this.tokens = new TokenCache(opts.objects, () => this.clock.now());
    this.log = opts.log ?? silentLogger;
  }

  podDir(uid: string): string {
    return path.join(this.opts.podsDir, uid);
  }

  volumeDir(uid: string, plugin: keyof typeof PLUGIN_DIRS, name: string): string {
    return path.join(this.podDir(uid), 'volumes', PLUGIN_DIRS[plugin], name);
  }

  async setUp(pod: Pod): Promise<VolumePaths> {
    const out: VolumePaths = new Map();
    for (const v of pod.spec.volumes ?? []) {
      try {
        out.set(v.name, await this.setUpOne(pod, v));
      } catch (err) {
        if (err instanceof VolumeSetupError) throw err;
        if (err instanceof PayloadPathError) throw new VolumeSetupError(v.name, err.message);
        throw new VolumeSetupError(v.name, (err as Error).message);
      }
    }
    return out;
  }

  private async setUpOne(pod: Pod, v: Volume): Promise<string> {
    const uid = pod.metadata.uid ?? '';
    const ns = pod.metadata.namespace ?? 'default';
    const now = new Date(this.clock.now());
    const alloc = this.opts.nodeAllocatable?.() ?? {};
    if (v.hostPath) return checkHostPath(v.name, v.hostPath.path, v.hostPath.type);
    if (v.emptyDir) {
      const dir = this.volumeDir(uid, 'emptyDir', v.name);
      if (v.emptyDir.medium === 'Memory') {
        const size = v.emptyDir.sizeLimit ? quantityValue(parseQuantity(v.emptyDir.sizeLimit)) : undefined;
        await this.ensureTmpfs(dir, size, 0o777, false);
      } else {
        await fs.mkdir(dir, { recursive: true });
        await fs.chmod(dir, 0o777);
      }
      const fsGroup = pod.spec.securityContext?.fsGroup;
      if (fsGroup !== undefined) {
        // New files inherit the group (setgid), as upstream's volume ownership does.
        await fs.chown(dir, 0, fsGroup);
        await fs.chmod(dir, 0o2777);
      }
      return dir;
    }
    if (v.configMap) {
      const dir = this.volumeDir(uid, 'configMap', v.name);
      const payload = await configMapPayload(v.name, ns, v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE, this.opts.objects);
      await this.write(dir, payload, now, pod);
      return dir;
    }
    if (v.secret) {
      const dir = this.volumeDir(uid, 'secret', v.name);
      const payload = await secretPayload(v.name, ns, v.secret.secretName ?? '', v.secret, v.secret.defaultMode ?? DEFAULT_MODE, this.opts.objects);
      await this.ensureTmpfs(dir, undefined, 0o755, true);
      await this.write(dir, payload, now, pod);
      return dir;
    }
    if (v.downwardAPI) {
      const dir = this.volumeDir(uid, 'downwardAPI', v.name);
      await this.write(dir, downwardApiPayload(v.name, pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_MODE, alloc), now, pod);
      return dir;
    }
    if (v.projected) {
      const dir = this.volumeDir(uid, 'projected', v.name);
      const mode = v.projected.defaultMode ?? DEFAULT_MODE;
      const payload: Payload = new Map();
      for (const src of v.projected.sources ?? []) {
        if (src.configMap) await configMapPayload(v.name, ns, src.configMap, mode, this.opts.objects, payload);
        else if (src.secret) await secretPayload(v.name, ns, src.secret.name ?? '', src.secret, mode, this.opts.objects, payload);
        else if (src.downwardAPI) downwardApiPayload(v.name, pod, src.downwardAPI.items ?? [], mode, alloc, payload);
        else if (src.serviceAccountToken) {
          const token = await this.tokens.get(pod, src.serviceAccountToken);
          // Owned by the containers' common runAsUser, if any, so a non-root process can read a 0600 token.
          const uid = commonRunAsUser(pod);
          payload.set(src.serviceAccountToken.path, { data: Buffer.from(token), mode, ...(uid !== undefined ? { uid } : {}) });
        }
      }
      await this.ensureTmpfs(dir, undefined, 0o755, true);
      await this.write(dir, payload, now, pod);
      return dir;
    }
    if (v.persistentVolumeClaim) return this.claimPath(v.name, ns, v.persistentVolumeClaim.claimName);
    throw new VolumeSetupError(v.name, `unsupported volume type (${Object.keys(v).filter((k) => k !== 'name').join(', ')})`);
  }

  private async write(dir: string, payload: Payload, now: Date, pod?: Pod): Promise<void> {
    const fsGroup = pod?.spec.securityContext?.fsGroup;
    if (fsGroup !== undefined) {
      // As upstream's volume ownership: the pod's fsGroup owns the files and may read them.
      for (const [k, f] of payload) payload.set(k, { ...f, gid: fsGroup, mode: f.mode | 0o440 });
    }
    if (await writeAtomically(dir, payload, now)) this.log.debug('volume contents updated', { dir });
  }

  /** Secrets and tokens never touch disk when tmpfs can be mounted; else a 0700 dir stands in. */
  private async ensureTmpfs(dir: string, sizeBytes: bigint | undefined, mode: number, fallbackToDir: boolean): Promise<void> {
    if (this.tmpfsMounted.has(dir) || this.tmpfsFallbacks.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    if (await isMountPoint(this.mounter, dir)) {
      this.tmpfsMounted.add(dir);
      return;
    }
    try {
      await this.mounter.mountTmpfs(dir, { sizeBytes, mode });
      this.tmpfsMounted.add(dir);
    } catch (err) {
      if (!fallbackToDir) throw err;
      this.tmpfsFallbacks.add(dir);
      await fs.chmod(dir, 0o700);
      this.log.warn('tmpfs mount failed; using a private directory', { dir, err: (err as Error).message });
    }
  }

  /** PVC → bound PV → its hostPath/local path, used directly as the mount source. */
  private async claimPath(volume: string, ns: string, claimName: string): Promise<string> {
    const pvc = await this.opts.objects.getPersistentVolumeClaim(ns, claimName);
    if (!pvc) throw new VolumeSetupError(volume, `persistentvolumeclaim "${claimName}" not found`);
    const pvName = pvc.spec?.volumeName;
    if (!pvName || pvc.status?.phase !== 'Bound') throw new VolumeSetupError(volume, `persistentvolumeclaim "${claimName}" is not bound`);
    const pv = await this.opts.objects.getPersistentVolume(pvName);
    if (!pv) throw new VolumeSetupError(volume, `persistentvolume "${pvName}" not found`);
    const ref = pv.spec?.claimRef;
    if (ref && (ref.namespace !== ns || ref.name !== claimName || (ref.uid && pvc.metadata.uid && ref.uid !== pvc.metadata.uid))) {
      throw new VolumeSetupError(volume, `persistentvolume "${pvName}" is bound to another claim`);
    }
    if (pv.spec?.hostPath) return checkHostPath(volume, pv.spec.hostPath.path, pv.spec.hostPath.type || 'DirectoryOrCreate');
    if (pv.spec?.local) return checkHostPath(volume, pv.spec.local.path, 'Directory');
    throw new VolumeSetupError(volume, `persistentvolume "${pvName}" has no hostPath or local source this node can mount`);
  }

  async tearDown(podUid: string): Promise<void> {
    const dir = this.podDir(podUid);
    // Never remove through a mount: unmount everything under the pod dir first (deepest first).
    for (const mp of await this.mounter.mountPointsUnder(dir)) await this.mounter.unmount(mp);
    const left = await this.mounter.mountPointsUnder(dir);
    if (left.length) throw new Error(`pod ${podUid}: still mounted: ${left.join(', ')}`);
    await fs.rm(dir, { recursive: true, force: true });
    this.tokens.forgetPod(podUid);
    for (const set of [this.tmpfsFallbacks, this.tmpfsMounted]) for (const d of [...set]) if (d.startsWith(dir + path.sep)) set.delete(d);
  }

  async listPodDirs(): Promise<string[]> {
    try {
      return (await fs.readdir(this.opts.podsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
