// Services → iptables rules (iptables mode, modelled on upstream's design):
//
// nat:    PREROUTING/OUTPUT → KUBE-SERVICES → KUBE-SVC-* (probabilities,
//         ClientIP affinity via -m recent) → KUBE-SEP-* (DNAT);
//         NodePorts via KUBE-NODEPORTS → KUBE-EXT-*; KUBE-MARK-MASQ marks,
//         KUBE-POSTROUTING masquerades marked packets.
// filter: KUBE-SERVICES / KUBE-EXTERNAL-SERVICES reject services that have
//         no usable endpoints (and KUBE-SERVICES any other service-CIDR
//         traffic nat left alone); KUBE-FORWARD accepts marked and established.
//
// Pure: the proxier decides what to write and when.
import { endpointChain, serviceChain } from './chain-names.js';
import { buildServicePorts, hasExternal, usableEndpoints, type Endpoint, type EndpointSliceObject, type ServiceObject, type ServicePort } from './service-ports.js';

export const MASQ_MARK = '0x4000';

/** Chains every sync writes, per table, in declaration order. */
export const NAT_BASE_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'] as const;
export const FILTER_BASE_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD'] as const;

/** Which chains belong to the proxy (everything else in the tables is left alone). */
export function isOwnedChain(name: string): boolean {
  return /^KUBE-(SERVICES|EXTERNAL-SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|FORWARD|(SVC|SVL|EXT|SEP)-[A-Z2-7]{16})$/.test(name);
}

/** Jumps from the built-in chains into ours: [table, chain, rule spec]. Kept idempotent by the proxier. */
export const JUMP_RULES: readonly (readonly [table: 'nat' | 'filter', chain: string, args: readonly string[]])[] = [
  ['nat', 'PREROUTING', ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']],
  ['nat', 'OUTPUT', ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']],
  ['nat', 'POSTROUTING', ['-m', 'comment', '--comment', 'kubernetes postrouting rules', '-j', 'KUBE-POSTROUTING']],
  ['filter', 'INPUT', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES']],
  ['filter', 'FORWARD', ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', 'KUBE-FORWARD']],
  ['filter', 'FORWARD', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']],
  ['filter', 'FORWARD', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES']],
  ['filter', 'OUTPUT', ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']],
];

export interface NodeInfo {
  name: string;
  ips: string[];
}

export interface RulesOptions {
  /** Pod network; traffic to a cluster IP from outside it is masqueraded. Empty: no such masquerade. */
  clusterCIDR?: string;
  /**
   * Service network. New traffic still addressed to it after nat (no service
   * rule matched: unknown IP or port) is rejected in filter KUBE-SERVICES, so
   * it fails at once and never loops on the node's service route.
   */
  serviceCIDR?: string;
}

/** Chain name → its `-A` lines, in order (Map keeps declaration order). */
export type ChainRules = Map<string, string[]>;

export interface ProxyRules {
  nat: ChainRules;
  filter: ChainRules;
  ports: ServicePort[];
}

const q = (s: string) => `"${s.replace(/"/g, "'")}"`;
const proto = (sp: ServicePort) => sp.protocol.toLowerCase();
/** `-p tcp -m tcp --dport N` (the protocol match module gives --dport). */
const dport = (sp: ServicePort, port: number) => `-p ${proto(sp)} -m ${proto(sp)} --dport ${port}`;

/** Probability for the i-th of n endpoint rules, so each endpoint gets 1/n overall. */
export function probability(i: number, n: number): string {
  return (1 / (n - i)).toFixed(10);
}

function rejectTarget(sp: ServicePort): string {
  // A TCP reset is answered locally even for host-originated connections,
  // which never see ICMP errors from their own REJECT, and unlike ICMP errors
  // it is not rate-limited (the kernel sends about one per second per source
  // host), so every attempt is refused at once. Others get port-unreachable.
  return sp.protocol === 'TCP' ? '-j REJECT --reject-with tcp-reset' : '-j REJECT --reject-with icmp-port-unreachable';
}

class Builder {
  readonly nat: ChainRules = new Map();
  readonly filter: ChainRules = new Map();
  constructor(withBaseChains = true) {
    if (!withBaseChains) return;
    for (const c of NAT_BASE_CHAINS) this.nat.set(c, []);
    for (const c of FILTER_BASE_CHAINS) this.filter.set(c, []);
  }
  add(table: ChainRules, chain: string, rule: string): void {
    let list = table.get(chain);
    if (!list) table.set(chain, (list = []));
    list.push(`-A ${chain} ${rule}`);
  }
  chain(table: ChainRules, chain: string): void {
    if (!table.has(chain)) table.set(chain, []);
  }
}

/** Writes a KUBE-SVC/KUBE-SVL body: optional affinity checks, then the random spread over endpoints. */
function writeSpread(b: Builder, chain: string, sp: ServicePort, eps: Endpoint[]): void {
  const seps = eps.map((e) => ({ e, chain: endpointChain(sp.key, sp.protocol, e.ip, e.port) }));
  if (sp.affinitySeconds !== undefined) {
    for (const { e, chain: sep } of seps) {
      b.add(b.nat, chain, `-m comment --comment ${q(`${sp.key} -> ${e.ip}:${e.port}`)} -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds ${sp.affinitySeconds} --reap -j ${sep}`);
    }
  }
  seps.forEach(({ e, chain: sep }, i) => {
    const stat = i < seps.length - 1 ? ` -m statistic --mode random --probability ${probability(i, seps.length)}` : '';
    b.add(b.nat, chain, `-m comment --comment ${q(`${sp.key} -> ${e.ip}:${e.port}`)}${stat} -j ${sep}`);
  });
}

function writeEndpointChain(b: Builder, sp: ServicePort, e: Endpoint): void {
  const sep = endpointChain(sp.key, sp.protocol, e.ip, e.port);
  if (b.nat.has(sep)) return;
  b.chain(b.nat, sep);
  // Hairpin: a pod reaching itself through the service must be masqueraded, or its reply short-circuits.
  b.add(b.nat, sep, `-m comment --comment ${q(sp.key)} -s ${e.ip}/32 -j KUBE-MARK-MASQ`);
  const recent = sp.affinitySeconds !== undefined ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
  b.add(b.nat, sep, `-m comment --comment ${q(sp.key)} -p ${proto(sp)}${recent} -m ${proto(sp)} -j DNAT --to-destination ${e.ip}:${e.port}`);
}

function writeServicePort(b: Builder, sp: ServicePort, opts: RulesOptions): void {
  const clusterEps = usableEndpoints(sp.endpoints);
  const localEps = usableEndpoints(sp.endpoints.filter((e) => e.local));
  const svc = serviceChain('KUBE-SVC-', sp.key, sp.protocol);
  const svl = serviceChain('KUBE-SVL-', sp.key, sp.protocol);
  const ext = serviceChain('KUBE-EXT-', sp.key, sp.protocol);
  const ip = sp.clusterIP!;
  const match = `-d ${ip}/32 ${dport(sp, sp.port)}`;

  if (clusterEps.length) {
    b.chain(b.nat, svc);
    if (opts.clusterCIDR && !sp.internalLocal) b.add(b.nat, svc, `-m comment --comment ${q(`${sp.key} cluster IP`)} ${match} ! -s ${opts.clusterCIDR} -j KUBE-MARK-MASQ`);
    writeSpread(b, svc, sp, clusterEps);
  }
  const needsLocal = (sp.internalLocal || (sp.externalLocal && hasExternal(sp))) && localEps.length > 0;
  if (needsLocal) {
    b.chain(b.nat, svl);
    writeSpread(b, svl, sp, localEps);
  }
  for (const e of new Set([...clusterEps, ...(needsLocal ? localEps : [])])) writeEndpointChain(b, sp, e);

  // Cluster IP.
  const internalEps = sp.internalLocal ? localEps : clusterEps;
  if (internalEps.length) b.add(b.nat, 'KUBE-SERVICES', `-m comment --comment ${q(`${sp.key} cluster IP`)} ${match} -j ${sp.internalLocal ? svl : svc}`);
  else b.add(b.filter, 'KUBE-SERVICES', `-m comment --comment ${q(`${sp.key} has no ${sp.internalLocal ? 'local ' : ''}endpoints`)} ${match} ${rejectTarget(sp)}`);

  // External entry points: node ports, load-balancer IPs, external IPs.
  if (!hasExternal(sp)) return;
  const externalEps = sp.externalLocal ? localEps : clusterEps;
  const entries: { nat: [chain: string, rule: string]; filterRule: string }[] = [];
  for (const x of [...sp.externalIPs.map((a) => [a, 'external IP'] as const), ...sp.loadBalancerIPs.map((a) => [a, 'loadbalancer IP'] as const)]) {
    const m = `-m comment --comment ${q(`${sp.key} ${x[1]}`)} -d ${x[0]}/32 ${dport(sp, sp.port)}`;
    entries.push({ nat: ['KUBE-SERVICES', `${m} -j ${ext}`], filterRule: m });
  }
  if (sp.nodePort !== undefined) {
    entries.push({
      nat: ['KUBE-NODEPORTS', `-m comment --comment ${q(sp.key)} ${dport(sp, sp.nodePort)} -j ${ext}`],
      filterRule: `-m comment --comment ${q(sp.key)} -m addrtype --dst-type LOCAL ${dport(sp, sp.nodePort)}`,
    });
  }
  if (!externalEps.length) {
    // Nothing to send external traffic to: refuse it (Local with no local endpoint: drop, as upstream).
    const target = sp.externalLocal && clusterEps.length ? '-j DROP' : rejectTarget(sp);
    for (const en of entries) b.add(b.filter, 'KUBE-EXTERNAL-SERVICES', `${en.filterRule} ${target}`);
    return;
  }
  b.chain(b.nat, ext);
  if (sp.externalLocal) {
    // Local policy keeps the client source (no masquerade) and uses only this node's endpoints,
    // except for pods and the node itself, which use the whole service.
    if (opts.clusterCIDR) b.add(b.nat, ext, `-m comment --comment ${q('pod traffic for ' + sp.key + ' external destinations')} -s ${opts.clusterCIDR} -j ${clusterEps.length ? svc : svl}`);
    b.add(b.nat, ext, `-m comment --comment ${q('masquerade LOCAL traffic for ' + sp.key + ' external destinations')} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
    b.add(b.nat, ext, `-m comment --comment ${q('route LOCAL traffic for ' + sp.key + ' external destinations')} -m addrtype --src-type LOCAL -j ${clusterEps.length ? svc : svl}`);
    b.add(b.nat, ext, `-j ${svl}`);
  } else {
    b.add(b.nat, ext, `-m comment --comment ${q('masquerade traffic for ' + sp.key + ' external destinations')} -j KUBE-MARK-MASQ`);
    b.add(b.nat, ext, `-j ${svc}`);
  }
  for (const en of entries) b.add(b.nat, en.nat[0], en.nat[1]);
}

/** One service port's rules: its own chains plus its lines in the shared base chains. */
interface Fragment {
  nat: ChainRules;
  filter: ChainRules;
}

/**
 * Remembers each service port's rules by a fingerprint of its inputs, so a
 * sync after one EndpointSlice change recomputes one service, not all.
 */
export class RulesCache {
  private entries = new Map<string, { sp: ServicePort; fp: string; fragment: Fragment }>();
  private seen = new Set<string>();

  fragment(sp: ServicePort, opts: RulesOptions, make: () => Fragment): Fragment {
    const id = `${sp.key}/${sp.protocol}`;
    this.seen.add(id);
    const hit = this.entries.get(id);
    // The same ServicePort object (an unchanged service) needs no fingerprint.
    if (hit && hit.sp === sp && hit.fp.endsWith(`|${opts.clusterCIDR ?? ''}`)) return hit.fragment;
    const fp = `${JSON.stringify(sp)}|${opts.clusterCIDR ?? ''}`;
    if (hit && hit.fp === fp) {
      hit.sp = sp;
      return hit.fragment;
    }
    const fragment = make();
    this.entries.set(id, { sp, fp, fragment });
    return fragment;
  }

  /** Forgets service ports not used since the last call. */
  sweep(): void {
    for (const id of this.entries.keys()) if (!this.seen.has(id)) this.entries.delete(id);
    this.seen.clear();
  }
}

const BASE_CHAINS: ReadonlySet<string> = new Set([...NAT_BASE_CHAINS, ...FILTER_BASE_CHAINS]);

function merge(into: ChainRules, from: ChainRules): void {
  for (const [chain, lines] of from) {
    const base = into.get(chain);
    if (base && BASE_CHAINS.has(chain)) base.push(...lines);
    else into.set(chain, lines);
  }
}

/** Every chain and rule for these service ports. */
export function computeRules(ports: readonly ServicePort[], opts: RulesOptions = {}, cache?: RulesCache): ProxyRules {
  const b = new Builder();
  b.add(b.nat, 'KUBE-MARK-MASQ', `-j MARK --or-mark ${MASQ_MARK}`);
  b.add(b.nat, 'KUBE-POSTROUTING', `-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`);
  // Clear the mark so a re-traversal (e.g. IPsec) is not masqueraded twice.
  b.add(b.nat, 'KUBE-POSTROUTING', `-j MARK --xor-mark ${MASQ_MARK}`);
  b.add(b.nat, 'KUBE-POSTROUTING', `-m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE`);
  b.add(b.filter, 'KUBE-FORWARD', `-m conntrack --ctstate INVALID -j DROP`);
  b.add(b.filter, 'KUBE-FORWARD', `-m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`);
  b.add(b.filter, 'KUBE-FORWARD', `-m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  for (const sp of ports) {
    const make = (): Fragment => {
      const f = new Builder(false);
      writeServicePort(f, sp, opts);
      return f;
    };
    const f = cache ? cache.fragment(sp, opts, make) : make();
    merge(b.nat, f.nat);
    merge(b.filter, f.filter);
  }
  cache?.sweep();
  if (opts.serviceCIDR) {
    // After the per-service rejects. Reached only by NEW packets that nat did
    // not rewrite (DNAT runs before filter in both PREROUTING and OUTPUT).
    const m = `-m comment --comment ${q('unmatched service traffic')} -d ${opts.serviceCIDR}`;
    b.add(b.filter, 'KUBE-SERVICES', `${m} -p tcp -j REJECT --reject-with tcp-reset`);
    b.add(b.filter, 'KUBE-SERVICES', `${m} -j REJECT --reject-with icmp-port-unreachable`);
  }
  // Must stay last: anything addressed to this node may be a node port.
  b.add(b.nat, 'KUBE-SERVICES', `-m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`);
  return { nat: b.nat, filter: b.filter, ports: [...ports] };
}

export interface RestoreText {
  nat: string;
  filter: string;
}

/**
 * One table's `iptables-restore --noflush` input: declares (and so flushes)
 * `write` chains, fills them, and deletes `remove` chains.
 */
export function renderTable(table: 'nat' | 'filter', rules: ChainRules, write: Iterable<string> = rules.keys(), remove: Iterable<string> = []): string {
  const lines = [`*${table}`];
  const writeList = [...write];
  const removeList = [...remove];
  for (const c of writeList) lines.push(`:${c} - [0:0]`);
  // Stale chains are declared too, so they are flushed before -X.
  for (const c of removeList) lines.push(`:${c} - [0:0]`);
  for (const c of writeList) lines.push(...(rules.get(c) ?? []));
  for (const c of removeList) lines.push(`-X ${c}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** The full restore text for both tables: the pure Services → rules function. */
export function generateRules(services: Iterable<ServiceObject>, slices: Iterable<EndpointSliceObject>, node: NodeInfo, opts: RulesOptions = {}): RestoreText & { rules: ProxyRules } {
  const rules = computeRules(buildServicePorts(services, slices, node.name), opts);
  return { nat: renderTable('nat', rules.nat), filter: renderTable('filter', rules.filter), rules };
}
