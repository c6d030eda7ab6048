// `kubets cluster up|down`: a multi-node cluster on one machine, in network
// namespaces (see src/cluster/). `up` runs in the foreground until SIGINT or
// SIGTERM (or `cluster down`), or with --detach in the background.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clusterUp, ClusterError, clusterKubeconfig, serverDir } from '../cluster/up.js';
import { readState } from '../cluster/state.js';
import { isAlive, isKubetsProcess, stopProcesses } from '../cluster/processes.js';
import { teardown } from '../cluster/teardown.js';
import { TopologyError } from '../cluster/topology.js';
import type { Logger } from '../util/log.js';
import { commandLogger } from './flags.js';
import type { Command } from './main.js';
import { defaultDataDir } from './server.js';
import { holdStopSignals, runUntilSignal } from './signals.js';

const HELP = `Usage: kubets cluster up|down [flags]

  up     start a server and N agents, each node in its own network namespace,
         joined by a bridge; no route leaves the machine. Writes
         DIR/kubeconfig.yaml (the API through a 127.0.0.1 port). Runs in the
         foreground until SIGINT/SIGTERM or \`cluster down\`, unless --detach.
  down   stop every process and remove every namespace, interface and mount
         the cluster made (also after a killed \`up\`). Keeps DIR/logs unless --purge.

  --data-dir DIR         cluster directory (default ${path.join(defaultDataDir(), 'cluster')})
  --nodes N              agents (up; default 3)
  --port N               host loopback port for the API (up; default: a free one)
  --ready-timeout SECS   how long up waits for every node to be Ready (default 120)
  --detach               up: start in the background and return once the nodes are Ready
  --purge                down: remove the whole data dir, logs included
  --log-level LEVEL      debug|info|warn|error (default $KUBETS_LOG_LEVEL, else info)
`;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function clusterCommand(): Command {
  return {
    summary: 'run (up) or remove (down) a multi-node cluster on this machine',
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          'data-dir': { type: 'string' },
          nodes: { type: 'string' },
          port: { type: 'string' },
          'ready-timeout': { type: 'string' },
          detach: { type: 'boolean' },
          purge: { type: 'boolean' },
          'log-level': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      });
      const verb = positionals[0];
      if (values.help || (verb !== 'up' && verb !== 'down') || positionals.length > 1) {
        console.log(HELP);
        return values.help ? 0 : 2;
      }
      if (process.getuid?.() !== 0) {
        console.error(`kubets cluster ${verb}: needs root (network namespaces, containerd)`);
        return 1;
      }
      const dataDir = path.resolve(values['data-dir'] ?? path.join(defaultDataDir(), 'cluster'));
      const log = commandLogger(values, { component: 'cluster' });
      if (verb === 'down') return down(dataDir, !!values.purge, log);

      const nodes = Number(values.nodes ?? 3);
      const port = Number(values.port ?? 0);
      const readyTimeout = Number(values['ready-timeout'] ?? 120);
      if (!Number.isInteger(port) || port < 0 || port > 65535 || !(readyTimeout > 0)) {
        console.error('kubets cluster up: invalid --port or --ready-timeout');
        return 2;
      }
      if (values.detach) return detach(dataDir, args.filter((a) => a !== '--detach'));
      // A signal during start-up takes effect once the cluster is up: it is then taken down cleanly.
      holdStopSignals(readyTimeout * 1000 + 120_000);
      let cluster;
      try {
        cluster = await clusterUp({ dataDir, nodes, port, readyTimeoutMs: readyTimeout * 1000, log });
      } catch (err) {
        if (err instanceof ClusterError || err instanceof TopologyError) {
          console.error(`kubets cluster up: ${err.message}`);
          return 1;
        }
        throw err;
      }
      const t = cluster.state.topology;
      console.log(
        `kubets cluster is up: ${t.agents.length} nodes (${t.agents.map((a) => `${a.name} ${a.ip}`).join(', ')}), API at https://127.0.0.1:${cluster.port}\n  export KUBECONFIG=${cluster.kubeconfig}`,
      );
      await runUntilSignal(() => cluster.down(), log, 120_000);
      return 0;
    },
  };
}

/** Re-runs `cluster up` as a detached process logging to DIR/logs/cluster.log; returns once it reports ready (or fails). */
async function detach(dataDir: string, args: string[]): Promise<number> {
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const logPath = path.join(dataDir, 'logs', 'cluster.log');
  const out = fs.openSync(logPath, 'a');
  const child = spawn(process.execPath, [process.argv[1]!, 'cluster', ...args], { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  for (;;) {
    const s = readState(dataDir);
    if (s && s.upPid === child.pid && s.ready) {
      console.log(`kubets cluster is up in the background (pid ${child.pid}; log ${logPath})\n  export KUBECONFIG=${clusterKubeconfig(dataDir)}`);
      return 0;
    }
    if (child.exitCode !== null || !isAlive(child.pid!)) {
      console.error(`kubets cluster up failed; see ${logPath}`);
      return 1;
    }
    await pause(200);
  }
}

async function down(dataDir: string, purge: boolean, log: Logger): Promise<number> {
  const state = readState(dataDir);
  if (state) {
    // A running `up` tears down itself on SIGTERM; then repeat the (idempotent) teardown for anything it missed.
    if (isAlive(state.upPid) && isKubetsProcess(state.upPid) && state.upPid !== process.pid) await stopProcesses([state.upPid], 150_000);
    await teardown(dataDir, state, log);
  } else {
    console.log(`kubets cluster down: no cluster state in ${dataDir}`);
  }
  if (purge) fs.rmSync(dataDir, { recursive: true, force: true });
  else for (const p of [serverDir(dataDir), path.join(dataDir, 'nodes'), clusterKubeconfig(dataDir)]) fs.rmSync(p, { recursive: true, force: true });
  if (state) console.log(`kubets cluster ${state.topology.id} is down`);
  return 0;
}
