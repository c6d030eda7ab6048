// The node's mount table (/proc/self/mountinfo): one parser for the agent's
// clean-up and the kubelet's volumes.
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function mountPoints(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''));
}

export function mountsUnder(dir: string, mountinfo?: string): string[] {
  const base = resolve(dir);
  return mountPoints(mountinfo).filter((m) => m === base || m.startsWith(base + sep));
}

/** The filesystem type mounted exactly at `dir` (the topmost mount there), if any. */
export function mountFsType(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string | undefined {
  const base = resolve(dir);
  const lines = mountinfo.split('\n').filter((l) => unescapeMountPath(l.split(' ')[4] ?? '') === base);
  // Fields after the " - " separator: fstype, source, super options.
  return lines.at(-1)?.split(' - ')[1]?.split(' ')[0];
}

/** True when `dir` itself is a mount point. */
export function isMountPoint(dir: string, mountinfo?: string): boolean {
  return mountPoints(mountinfo).includes(resolve(dir));
}

