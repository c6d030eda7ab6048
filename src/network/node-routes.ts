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

/** Routing table and rule priority of the host-originated service route (see below). */
export const SERVICE_ROUTE_TABLE = 2023;
export const SERVICE_ROUTE_PRIORITY = 2023;

/**
 * Connections the node itself opens to a service IP need a route at
 * connect() time, before nat OUTPUT rewrites the destination; the
 * unreachable route would refuse them. A policy rule for locally originated
 * packets (`iif lo`) sends the service CIDR to a table with a plain route
 * (source = the node's IP); DNAT then reroutes them to the endpoint.
 * Forwarded (pod) traffic still meets the unreachable route.
 */
export async function installHostServiceRoute(serviceCIDR: string, sourceIP: string, run: CommandRunner = runCommand): Promise<void> {
  await run('ip', ['route', 'replace', serviceCIDR, 'dev', 'lo', 'src', sourceIP, 'table', String(SERVICE_ROUTE_TABLE)]);
  const rules = await run('ip', ['-4', 'rule', 'show', 'pref', String(SERVICE_ROUTE_PRIORITY)], { allowFailure: true });
  const want = `from all to ${serviceCIDR} iif lo lookup ${SERVICE_ROUTE_TABLE}`;
  if (rules.stdout.includes(want)) return;
  // A rule for another CIDR at our priority is stale: replace it.
  if (rules.stdout.trim()) await run('ip', ['rule', 'del', 'pref', String(SERVICE_ROUTE_PRIORITY)], { allowFailure: true });
  await run('ip', ['rule', 'add', 'pref', String(SERVICE_ROUTE_PRIORITY), 'iif', 'lo', 'to', serviceCIDR, 'lookup', String(SERVICE_ROUTE_TABLE)]);
}

export async function removeHostServiceRoute(run: CommandRunner = runCommand): Promise<void> {
  for (;;) {
    const r = await run('ip', ['rule', 'del', 'pref', String(SERVICE_ROUTE_PRIORITY)], { allowFailure: true });
    if (r.code !== 0) break;
  }
  await run('ip', ['route', 'flush', 'table', String(SERVICE_ROUTE_TABLE)], { allowFailure: true });
}
