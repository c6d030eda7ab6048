// Host-gateway routing (as flannel's host-gw backend): every other node's
// podCIDR is reached through that node's InternalIP. Pure computation here;
// hostgw.ts applies the plan with `ip route`.
import type { Node } from '../api/core-v1.js';

/** Route protocol number that marks the routes this plugin owns (`ip route ... proto 201`). */
export const HOSTGW_ROUTE_PROTO = '201';

export interface PodRoute {
  /** The other node's podCIDR. */
  dst: string;
  /** The other node's InternalIP. */
  via: string;
  node: string;
}

export interface InstalledRoute {
  dst: string;
  via?: string;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function podCIDROf(n: Node): string | undefined {
  const cidrs = [...(n.spec?.podCIDRs ?? []), ...(n.spec?.podCIDR ? [n.spec.podCIDR] : [])];
  return cidrs.find((c) => IPV4_CIDR.test(c));
}

function internalIPOf(n: Node): string | undefined {
  return n.status?.addresses?.find((a) => a.type === 'InternalIP' && IPV4.test(a.address))?.address;
}

/** The routes this node needs: one per other node that has both a podCIDR and an InternalIP, sorted by dst. */
export function desiredRoutes(nodes: readonly Node[], self: string): PodRoute[] {
  const byDst = new Map<string, PodRoute>();
  for (const n of nodes) {
    const name = n.metadata.name ?? '';
    if (name === self || n.metadata.deletionTimestamp) continue;
    const dst = podCIDROf(n);
    const via = internalIPOf(n);
    if (!dst || !via) continue;
    // Two nodes claiming one podCIDR is an IPAM bug; the first by name wins so the choice is stable.
    const prev = byDst.get(dst);
    if (!prev || prev.node > name) byDst.set(dst, { dst, via, node: name });
  }
  return [...byDst.values()].sort((a, b) => a.dst.localeCompare(b.dst));
}

/** `ip -j route show proto 201` output → installed routes. A /32 prints without its prefix length. */
export function parseIpRouteJson(json: string): InstalledRoute[] {
  const text = json.trim();
  if (!text) return [];
  const rows = JSON.parse(text) as { dst?: string; gateway?: string }[];
  return rows
    .filter((r) => r.dst && r.dst !== 'default')
    .map((r) => ({ dst: r.dst!.includes('/') ? r.dst! : `${r.dst}/32`, ...(r.gateway ? { via: r.gateway } : {}) }));
}

export interface RoutePlan {
  /** Routes to add or replace (`ip route replace`). */
  replace: PodRoute[];
  /** Our routes no node wants any more. */
  remove: InstalledRoute[];
}

/** The minimal change from what is installed to what is wanted: an empty plan when they agree. */
export function planRoutes(desired: readonly PodRoute[], installed: readonly InstalledRoute[]): RoutePlan {
  const have = new Map(installed.map((r) => [r.dst, r]));
  const want = new Set(desired.map((r) => r.dst));
  return {
    replace: desired.filter((r) => have.get(r.dst)?.via !== r.via),
    remove: installed.filter((r) => !want.has(r.dst)),
  };
}
