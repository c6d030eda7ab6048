// DIR/cluster.json: what `cluster up` made (namespaces, processes), written
// before each thing is made so that `cluster down` can undo a partial start
// or a killed `cluster up`.
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterTopology } from './topology.js';

export interface ClusterState {
  topology: ClusterTopology;
  /** The `cluster up` process (it owns the forwarder and supervises the rest). */
  upPid: number;
  /** Server and agent processes by node name. */
  pids: Record<string, number>;
  /** The host loopback port that forwards to the API server. */
  port?: number;
  ready?: boolean;
}

export const STATE_FILE = 'cluster.json';

export function statePath(dataDir: string): string {
  return path.join(dataDir, STATE_FILE);
}

export function readState(dataDir: string): ClusterState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(dataDir), 'utf8')) as ClusterState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function writeState(dataDir: string, s: ClusterState): void {
  const file = statePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
