// The local-path provisioner, with the little binding it needs: a claim of a
// class whose provisioner is kubets.io/local-path gets a hostPath PV
// `pvc-<claim uid>` at `<storageDir>/pvc-<uid>_<ns>_<name>` sized by its
// request; PV and claim are then marked Bound to each other. When the claim
// is gone the PV is deleted (reclaimPolicy Delete, with its directory when
// this process runs on that disk) or Released (Retain).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { objectKey } from '../../client/store.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { PersistentVolumeClaimObject, PersistentVolumeObject } from '../../kubelet/object-source.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { runController } from '../workloads-shared/run-controller.js';
import { LOCAL_PATH_PROVISIONER } from './storage-class.js';

export const DEFAULT_LOCAL_PATH_STORAGE_DIR = '/var/lib/kubets/storage';
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';

interface StorageClassObject extends KubeObject {
  provisioner?: string;
  reclaimPolicy?: string;
}

type Pvc = PersistentVolumeClaimObject & { spec: NonNullable<PersistentVolumeClaimObject['spec']> & { volumeMode?: string } };
type Pv = PersistentVolumeObject & { spec: NonNullable<PersistentVolumeObject['spec']> & { persistentVolumeReclaimPolicy?: string; storageClassName?: string } };

export const pvNameFor = (claimUid: string) => `pvc-${claimUid}`;

export function volumeDirFor(storageDir: string, pvc: KubeObject): string {
  return path.join(storageDir, `pvc-${pvc.metadata.uid}_${pvc.metadata.namespace}_${pvc.metadata.name}`);
}

class LocalPathController implements Controller {
  readonly name = 'local-path-provisioner';
  private readonly queue: RateLimitingQueue<string>;
  private readonly claims;
  private readonly volumes;
  private readonly classes;
  private readonly storageDir: string;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.claims = ctx.informers.informer<Pvc>(RESOURCES.persistentvolumeclaims);
    this.volumes = ctx.informers.informer<Pv>(RESOURCES.persistentvolumes);
    this.classes = ctx.informers.informer<StorageClassObject>(RESOURCES.storageclasses);
    this.storageDir = ctx.options.localPathStorageDir ?? DEFAULT_LOCAL_PATH_STORAGE_DIR;
  }

  async run(signal: AbortSignal): Promise<void> {
    const claim = (o: KubeObject) => this.queue.add(`pvc:${objectKey(o)}`);
    const volume = (o: KubeObject) => this.queue.add(`pv:${o.metadata.name}`);
    const hs = [
      this.claims.addEventHandler({
        onAdd: claim,
        onUpdate: (_o, n) => claim(n),
        onDelete: (o) => {
          const pvc = deletedObject(o);
          this.queue.add(`pv:${pvc.spec?.volumeName || pvNameFor(pvc.metadata.uid ?? '')}`);
        },
      }),
      this.volumes.addEventHandler({ onAdd: volume, onUpdate: (_o, n) => volume(n), onDelete: (o) => volume(deletedObject(o)) }),
      // A class that appears late unblocks claims waiting for it.
      this.classes.addEventHandler({ onAdd: () => this.claims.store.list().forEach(claim) }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of hs) h.remove();
    }
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith('pvc:')) return this.syncClaim(key.slice(4));
    if (key.startsWith('pv:')) return this.syncVolume(key.slice(3));
  }

  private ourClass(pvc: Pvc): StorageClassObject | undefined {
    const name = pvc.spec.storageClassName;
    if (!name) return undefined;
    const sc = this.classes.store.get(name);
    return sc?.provisioner === LOCAL_PATH_PROVISIONER ? sc : undefined;
  }

  private async syncClaim(key: string): Promise<void> {
    const pvc = this.claims.store.get(key);
    if (!pvc || pvc.metadata.deletionTimestamp) return;
    const sc = this.ourClass(pvc);
    if (!sc) return;
    const pvName = pvc.spec.volumeName || pvNameFor(pvc.metadata.uid ?? '');
    if (pvc.status?.phase === 'Bound' && pvc.spec.volumeName) {
      const pv = this.volumes.store.get(pvName);
      if (pv && pv.status?.phase !== 'Bound') await this.setVolumePhase(pv, 'Bound');
      return;
    }
    let pv = this.volumes.store.get(pvName) ?? (await this.getVolume(pvName));
    if (!pv) pv = await this.provision(pvc, sc, pvName);
    if (!pv) return;
    const ref = pv.spec.claimRef;
    if (ref && ref.uid !== pvc.metadata.uid) {
      this.ctx.logger.warn('volume belongs to another claim', { pv: pvName, claim: key });
      return;
    }
    if (pv.status?.phase !== 'Bound') await this.setVolumePhase(pv, 'Bound');
    await this.bindClaim(pvc, pv);
  }

  private async getVolume(name: string): Promise<Pv | undefined> {
    try {
      return (await this.ctx.client.persistentvolumes.get(undefined, name)) as Pv;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async provision(pvc: Pvc, sc: StorageClassObject, pvName: string): Promise<Pv | undefined> {
    const storage = pvc.spec.resources?.requests?.storage;
    if (!storage) return undefined;
    const body = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
      spec: {
        capacity: { storage },
        accessModes: pvc.spec.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
        hostPath: { path: volumeDirFor(this.storageDir, pvc), type: 'DirectoryOrCreate' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
      },
    } as Pv;
    try {
      const pv = (await this.ctx.client.persistentvolumes.create(undefined, body)) as Pv;
      this.ctx.logger.info('provisioned volume', { pv: pvName, claim: objectKey(pvc), path: body.spec.hostPath!.path });
      return pv;
    } catch (err) {
      if (isAlreadyExists(err)) return this.getVolume(pvName);
      throw err;
    }
  }

  private async setVolumePhase(pv: Pv, phase: string): Promise<void> {
    try {
      await this.ctx.client.persistentvolumes.updateStatus({ ...pv, status: { ...pv.status, phase } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
      if (isConflict(err)) this.queue.addRateLimited(`pv:${pv.metadata.name}`);
    }
  }

  private async bindClaim(pvc: Pvc, pv: Pv): Promise<void> {
    let cur = pvc;
    if (cur.spec.volumeName !== pv.metadata.name || cur.metadata.annotations?.[BIND_COMPLETED] !== 'yes') {
      cur = (await this.ctx.client.persistentvolumeclaims.update({
        ...cur,
        metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [BIND_COMPLETED]: 'yes', [BOUND_BY_CONTROLLER]: 'yes', [STORAGE_PROVISIONER]: LOCAL_PATH_PROVISIONER } },
        spec: { ...cur.spec, volumeName: pv.metadata.name },
      })) as Pvc;
    }
    await this.ctx.client.persistentvolumeclaims.updateStatus({
      ...cur,
      status: { ...cur.status, phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity },
    } as Pvc);
  }

  private async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.store.get(name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (pv.metadata.annotations?.[PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return;
    const ref = pv.spec.claimRef;
    if (!ref?.name || !ref.namespace) return;
    const claim = this.claims.store.get(`${ref.namespace}/${ref.name}`);
    if (claim && claim.metadata.uid === ref.uid) return;
    // The cache may lag: ask the API server before releasing a volume.
    try {
      const fresh = await this.ctx.client.persistentvolumeclaims.get(ref.namespace, ref.name);
      if (fresh.metadata.uid === ref.uid) return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if ((pv.spec.persistentVolumeReclaimPolicy ?? 'Delete') !== 'Delete') {
      if (pv.status?.phase !== 'Released') await this.setVolumePhase(pv, 'Released');
      return;
    }
    await this.removeDir(pv);
    try {
      await this.ctx.client.persistentvolumes.delete(undefined, name, { preconditions: { uid: pv.metadata.uid } });
      this.ctx.logger.info('deleted volume', { pv: name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Only a directory this provisioner made (directly under storageDir, named pvc-...) is removed. */
  private async removeDir(pv: Pv): Promise<void> {
    if (!this.ctx.options.localPathDeleteDirs) return;
    const dir = pv.spec.hostPath?.path;
    if (!dir || path.resolve(path.dirname(dir)) !== path.resolve(this.storageDir) || !path.basename(dir).startsWith(`${pv.metadata.name}_`)) return;
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export const localPathController: ControllerFactory = (ctx) => new LocalPathController(ctx);
