// Stale UDP conntrack entries: UDP has no connection end, so a flow keeps
// its DNAT to a removed endpoint (or its REJECT-era entry) until flushed.
import type { CommandRunner } from '../network/node-routes.js';
import { usableEndpoints, type ServicePort } from './service-ports.js';

export interface UdpServiceState {
  /** Cluster, external and load-balancer IPs. */
  ips: string[];
  nodePort?: number;
  /** Endpoint IPs that may currently receive traffic. */
  endpoints: Set<string>;
}

export function udpStates(ports: readonly ServicePort[]): Map<string, UdpServiceState> {
  const m = new Map<string, UdpServiceState>();
  for (const sp of ports) {
    if (sp.protocol !== 'UDP') continue;
    const eps = new Set([...usableEndpoints(sp.endpoints), ...usableEndpoints(sp.endpoints.filter((e) => e.local))].map((e) => e.ip));
    m.set(sp.key, { ips: [sp.clusterIP!, ...sp.externalIPs, ...sp.loadBalancerIPs], nodePort: sp.nodePort, endpoints: eps });
  }
  return m;
}

/** The conntrack deletions that the change from `before` to `after` calls for. */
export function staleFlowDeletions(before: ReadonlyMap<string, UdpServiceState>, after: ReadonlyMap<string, UdpServiceState>): string[][] {
  const cmds: string[][] = [];
  for (const [key, old] of before) {
    const cur = after.get(key);
    for (const ep of old.endpoints) {
      if (cur?.endpoints.has(ep)) continue;
      for (const ip of old.ips) cmds.push(['-D', '-p', 'udp', '--orig-dst', ip, '--reply-src', ep]);
      if (old.nodePort) cmds.push(['-D', '-p', 'udp', '--orig-port-dst', String(old.nodePort), '--reply-src', ep]);
    }
  }
  // A service that just got endpoints: flows created while it was rejecting would keep failing.
  for (const [key, cur] of after) {
    if (!cur.endpoints.size || (before.get(key)?.endpoints.size ?? 0) > 0) continue;
    for (const ip of cur.ips) cmds.push(['-D', '-p', 'udp', '--orig-dst', ip]);
    if (cur.nodePort) cmds.push(['-D', '-p', 'udp', '--orig-port-dst', String(cur.nodePort)]);
  }
  return cmds;
}

/** Runs the deletions; conntrack exits 1 when nothing matched, which is fine. */
export async function flushStaleFlows(cmds: readonly string[][], run: CommandRunner): Promise<void> {
  for (const args of cmds) await run('conntrack', args, { allowFailure: true });
}
