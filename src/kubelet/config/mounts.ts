// A container's volumeMounts as CRI mounts, resolved against the host paths
// the volume manager prepared.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Container, Pod, VolumeMount } from '../../api/core-v1.js';
import type { Mount, MountPropagation } from '../../cri/types.js';
import { CreateContainerConfigError } from '../errors.js';
import type { VolumePaths } from '../seams.js';
import { expandVars } from './expand.js';

const PROPAGATION: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

/** A subPath must stay inside its volume: relative, no `..` element. */
export function checkSubPath(sub: string): void {
  if (path.isAbsolute(sub)) throw new CreateContainerConfigError(`subPath "${sub}" must be a relative path`);
  if (sub.split('/').includes('..')) throw new CreateContainerConfigError(`subPath "${sub}" must not contain '..'`);
}

async function resolveSubPath(volumePath: string, sub: string): Promise<string> {
  checkSubPath(sub);
  const target = path.join(volumePath, sub);
  // Symlinks inside the volume must not lead out of it.
  const realVol = await fs.realpath(volumePath);
  try {
    const real = await fs.realpath(target);
    if (real !== realVol && !real.startsWith(realVol + path.sep)) throw new CreateContainerConfigError(`subPath "${sub}" resolves outside the volume`);
    return real;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Upstream creates a missing subPath as a directory.
  await fs.mkdir(target, { recursive: true, mode: 0o750 });
  return target;
}

/**
 * Volumes containers may not write to whatever the mount says: the
 * kubelet-written ones (configMap, secret, downwardAPI, projected, as
 * upstream) and claims marked readOnly.
 */
export function readOnlyVolumes(pod: Pod): Set<string> {
  const out = new Set<string>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap || v.secret || v.downwardAPI || v.projected || v.persistentVolumeClaim?.readOnly) out.add(v.name);
  }
  return out;
}

export async function volumeMounts(pod: Pod, c: Container, volumes: VolumePaths, env: ReadonlyMap<string, string>, privileged: boolean): Promise<Mount[]> {
  const out: Mount[] = [];
  const forcedRO = readOnlyVolumes(pod);
  for (const m of c.volumeMounts ?? []) {
    const mount = await oneMount(m, volumes, env, privileged);
    if (forcedRO.has(m.name)) mount.readonly = true;
    out.push(mount);
  }
  return out;
}

async function oneMount(m: VolumeMount, volumes: VolumePaths, env: ReadonlyMap<string, string>, privileged: boolean): Promise<Mount> {
  const hostPath = volumes.get(m.name);
  if (hostPath === undefined) throw new CreateContainerConfigError(`cannot find volume "${m.name}" to mount into container`);
  let sub = m.subPath ?? '';
  if (m.subPathExpr) {
    sub = expandVars(m.subPathExpr, (n) => env.get(n));
    if (/\$\([^)]*\)/.test(sub)) throw new CreateContainerConfigError(`subPathExpr "${m.subPathExpr}": unresolved variable`);
  }
  const propagation = PROPAGATION[m.mountPropagation ?? 'None'] ?? 'PROPAGATION_PRIVATE';
  if (propagation === 'PROPAGATION_BIDIRECTIONAL' && !privileged) throw new CreateContainerConfigError('Bidirectional mount propagation is available only to privileged containers');
  return {
    container_path: m.mountPath,
    host_path: sub ? await resolveSubPath(hostPath, sub) : hostPath,
    readonly: m.readOnly === true,
    propagation,
  };
}
