// Effective capabilities of this process, read from /proc/self/status.
import { readFileSync } from 'node:fs';

/** Bit number of CAP_SYS_RESOURCE (linux/capability.h). */
export const CAP_SYS_RESOURCE = 24;

/** Parses the CapEff hex mask out of a /proc/<pid>/status text. */
export function parseCapEff(statusText: string): bigint {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  if (!m) throw new Error('no CapEff line in status');
  return BigInt(`0x${m[1]}`);
}

export function hasCapability(mask: bigint, bit: number): boolean {
  return ((mask >> BigInt(bit)) & 1n) === 1n;
}

/** Whether this process may lower oom_score_adj (CAP_SYS_RESOURCE); some VMs withhold it. */
export function canLowerOomScoreAdj(statusText = readFileSync('/proc/self/status', 'utf8')): boolean {
  return hasCapability(parseCapEff(statusText), CAP_SYS_RESOURCE);
}
