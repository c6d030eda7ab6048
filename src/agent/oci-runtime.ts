// Which OCI runtime containerd's shim runs: crun when it can work here (it
// starts a container in about a quarter of runc's CPU time, which is most of
// a pod's start on a small node), else runc.
//
// crun 1.8 refuses a hybrid cgroup layout (v1 hierarchies plus a cgroup2
// mount at /sys/fs/cgroup/unified) whose cgroup2 still holds controllers.
// Such a layout is usually one controller short of systemd's: a controller
// no v1 hierarchy claims (often hugetlb) stays on cgroup2. Mounting it as a v1
// hierarchy of its own, as systemd does, empties cgroup2 and crun accepts it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../util/log.js';
import { cgroupMounts } from './cgroups.js';
import { findOnPath } from './preflight.js';
import { runCommand } from './run-command.js';

export const OCI_RUNTIMES = ['auto', 'runc', 'crun'] as const;
export type OciRuntimeChoice = (typeof OCI_RUNTIMES)[number];

export interface OciRuntime {
  name: 'runc' | 'crun';
  /** Absolute path, for the shim's BinaryName. */
  binary: string;
}

export class OciRuntimeError extends Error {
  override name = 'OciRuntimeError';
}

/** What the cgroup mounts say: v2 only, v1 only, or hybrid with the controllers left on cgroup2. */
export type CgroupMode = { mode: 'v1' } | { mode: 'v2' } | { mode: 'hybrid'; unified: string; controllers: string[] };

export function cgroupMode(mountinfo: string, readControllers: (dir: string) => string): CgroupMode {
  const mounts = cgroupMounts(mountinfo);
  const unified = mounts.get('');
  if (![...mounts.keys()].some((k) => k !== '')) return { mode: 'v2' };
  if (!unified) return { mode: 'v1' };
  return { mode: 'hybrid', unified, controllers: readControllers(unified).split(/\s+/).filter(Boolean) };
}

export interface ChooseOciRuntimeDeps {
  log: Logger;
  which?: (bin: string) => string | undefined;
  mountinfo?: () => string;
  readControllers?: (dir: string) => string;
  /** Mounts controller `name` as a cgroup v1 hierarchy under `root`. */
  mountV1?: (root: string, name: string) => Promise<void>;
  cgroupRoot?: string;
}

async function mountV1Hierarchy(root: string, name: string): Promise<void> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  await runCommand('mount', ['-t', 'cgroup', '-o', name, 'cgroup', dir]);
}

/**
 * Picks the runtime for `choice`. 'auto' takes crun when it is installed and
 * the cgroup layout suits it (fixing a hybrid layout as above), else runc and
 * says why; 'crun' fails with the reason instead.
 */
export async function chooseOciRuntime(choice: OciRuntimeChoice, deps: ChooseOciRuntimeDeps): Promise<OciRuntime> {
  const which = deps.which ?? findOnPath;
  const runc = (): OciRuntime => {
    const binary = which('runc');
    if (!binary) throw new OciRuntimeError('runc not found on PATH');
    return { name: 'runc', binary };
  };
  if (choice === 'runc') return runc();
  const refuse = (reason: string): OciRuntime => {
    if (choice === 'crun') throw new OciRuntimeError(`cannot use crun: ${reason}`);
    deps.log.info('using runc', { why: `crun ${reason}` });
    return runc();
  };
  const binary = which('crun');
  if (!binary) return refuse('is not installed');
  const root = deps.cgroupRoot ?? '/sys/fs/cgroup';
  const mountinfo = deps.mountinfo ?? (() => readFileSync('/proc/self/mountinfo', 'utf8'));
  const readControllers = deps.readControllers ?? ((dir: string) => readFileSync(join(dir, 'cgroup.controllers'), 'utf8'));
  let mode = cgroupMode(mountinfo(), readControllers);
  if (mode.mode === 'hybrid' && mode.controllers.length) {
    const moved = mode.controllers;
    const errors: string[] = [];
    for (const c of moved) {
      // Another agent starting beside this one may have mounted it first: the re-check below decides.
      await (deps.mountV1 ?? mountV1Hierarchy)(root, c).catch((err: Error) => errors.push(`${c}: ${err.message}`));
    }
    mode = cgroupMode(mountinfo(), readControllers);
    if (mode.mode === 'hybrid' && mode.controllers.length) return refuse(`refuses this hybrid cgroup layout: cgroup2 still holds ${mode.controllers.join(', ')}${errors.length ? ` (mounting them as cgroup v1 failed: ${errors.join('; ')})` : ''}`);
    if (errors.length < moved.length) deps.log.info('mounted cgroup v1 hierarchies so that crun accepts the hybrid layout', { controllers: moved, under: root });
  }
  return { name: 'crun', binary };
}
