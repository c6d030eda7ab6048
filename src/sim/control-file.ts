// Heartbeat control from outside the process: a JSON file
// `{"stopped": ["sim-node-3"]}` naming the nodes whose heartbeat is stopped.
// `kubets sim --control-file F` polls it, and re-reads it at once on SIGUSR1.
import fs from 'node:fs';
import { SimConfigError } from './errors.js';

export interface ControlState {
  stopped: Set<string>;
}

/** Reads the control file; a missing or empty file means nothing is stopped. */
export function readControlFile(file: string): ControlState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { stopped: new Set() };
    throw err;
  }
  if (!text.trim()) return { stopped: new Set() };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SimConfigError(`${file}: ${(err as Error).message}`);
  }
  const stopped = (doc as { stopped?: unknown } | null)?.stopped ?? [];
  if (!Array.isArray(stopped) || !stopped.every((s) => typeof s === 'string')) throw new SimConfigError(`${file}: "stopped" must be a list of node names`);
  return { stopped: new Set(stopped) };
}

export interface HeartbeatControl {
  stopHeartbeat(name: string): boolean;
  resumeHeartbeat(name: string): Promise<boolean>;
}

/**
 * Makes the heartbeats match `next`: stops newly listed nodes, resumes the
 * ones `prev` listed that `next` does not. Returns what changed.
 */
export async function applyControl(sim: HeartbeatControl, prev: ControlState, next: ControlState): Promise<{ stopped: string[]; resumed: string[] }> {
  const stopped = [...next.stopped].filter((n) => !prev.stopped.has(n) && sim.stopHeartbeat(n));
  const resumed: string[] = [];
  for (const n of prev.stopped) if (!next.stopped.has(n) && (await sim.resumeHeartbeat(n))) resumed.push(n);
  return { stopped, resumed };
}
