// Can this process run a real node agent? It needs root (namespaces, mounts,
// cgroups) and, unless pointed at an existing CRI runtime, containerd and runc.
import fs from 'node:fs';
import path from 'node:path';

export interface Preflight {
  ok: boolean;
  /** Why not, in words a user can act on. */
  reason?: string;
}

export function findOnPath(bin: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...envPath.split(':'), '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!dir) continue;
    const p = path.join(dir, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function agentPreflight(opts: { runtimeEndpoint?: string; uid?: number } = {}): Preflight {
  const uid = opts.uid ?? process.getuid?.() ?? -1;
  if (uid !== 0) return { ok: false, reason: 'the node agent needs root (it manages containers, mounts, cgroups and network rules)' };
  if (opts.runtimeEndpoint) return { ok: true };
  const missing = ['containerd', 'runc'].filter((b) => !findOnPath(b));
  if (missing.length) return { ok: false, reason: `${missing.join(' and ')} not found on PATH (install them, e.g. apt-get install containerd runc, or run scripts/setup.sh)` };
  return { ok: true };
}
