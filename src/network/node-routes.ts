// Node routes shared by the agent and kube-proxy. Every function is
// idempotent (safe to call on every start and every resync) and takes a
// command runner so it can act inside a test's network namespace.
import { runCommand, type CommandResult, type RunOptions } from '../agent/run-command.js';
import type { Logger } from '../util/log.js';

export type CommandRunner = (cmd: string, args: string[], opts?: RunOptions) => Promise<CommandResult>;

/**
 * `unreachable` routes for the cluster and service CIDRs, so traffic to a
 * cluster address that no rule or more specific route covers fails on this
 * node instead of following a default route out.
 */
export async function installUnreachableRoutes(cidrs: readonly (string | undefined)[], log: Logger, run: CommandRunner = runCommand): Promise<void> {
  for (const cidr of cidrs) {
    if (!cidr) continue;
    // Only when no route covers exactly this prefix: a real one (e.g. a podCIDR route) must not be replaced.
    const cur = await run('ip', ['-4', 'route', 'show', 'exact', cidr], { allowFailure: true });
    if (cur.code === 0 && cur.stdout.trim()) continue;
    const r = await run('ip', ['route', 'replace', 'unreachable', cidr], { allowFailure: true });
    if (r.code !== 0) log.warn('could not install unreachable route', { cidr, err: r.stderr.trim() });
  }
}

/** Routing table and rule priority of the service route (see below). */
export const SERVICE_ROUTE_TABLE = 2023;
export const SERVICE_ROUTE_PRIORITY = 2023;

/**
 * Sends the service CIDR to a table with a plain route via `lo` (source =
 * the node's IP), ahead of the unreachable route, which stays as the
 * fallback while no proxy runs.
 * - The node's own connections need a route at connect() time, before nat
 *   OUTPUT rewrites the destination; DNAT then reroutes them to the endpoint.
 * - Forwarded (pod) traffic must reach the FORWARD hook, where the proxy
 *   rejects services without endpoints with a TCP reset. A route error
 *   (unreachable) would stop it before FORWARD, and its ICMP errors are
 *   rate-limited per source host: repeated attempts from one pod then got no
 *   answer at all and hung until their timeout.
 * Traffic that DNAT rewrote never uses this route; service-CIDR traffic that
 * no rule matched is rejected by the proxy's catch-all, so nothing loops on lo.
 */
export async function installServiceRoute(serviceCIDR: string, sourceIP: string, run: CommandRunner = runCommand): Promise<void> {
  await run('ip', ['route', 'replace', serviceCIDR, 'dev', 'lo', 'src', sourceIP, 'table', String(SERVICE_ROUTE_TABLE)]);
  const rules = await run('ip', ['-4', 'rule', 'show', 'pref', String(SERVICE_ROUTE_PRIORITY)], { allowFailure: true });
  const current = rules.stdout.trim().split('\n').filter(Boolean);
  if (current.length === 1 && current[0]!.endsWith(`from all to ${serviceCIDR} lookup ${SERVICE_ROUTE_TABLE}`)) return;
  // Anything else at our priority (another CIDR, the older `iif lo` form) is stale.
  await deleteServiceRules(run);
  await run('ip', ['rule', 'add', 'pref', String(SERVICE_ROUTE_PRIORITY), 'to', serviceCIDR, 'lookup', String(SERVICE_ROUTE_TABLE)]);
}

async function deleteServiceRules(run: CommandRunner): Promise<void> {
  for (let i = 0; i < 16; i++) {
    const r = await run('ip', ['rule', 'del', 'pref', String(SERVICE_ROUTE_PRIORITY)], { allowFailure: true });
    if (r.code !== 0) break;
  }
}

export async function removeServiceRoute(run: CommandRunner = runCommand): Promise<void> {
  await deleteServiceRules(run);
  await run('ip', ['route', 'flush', 'table', String(SERVICE_ROUTE_TABLE)], { allowFailure: true });
}
