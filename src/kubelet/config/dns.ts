// A pod's resolv.conf as CRI DNSConfig, per dnsPolicy, merged with
// spec.dnsConfig as upstream does.
import type { Pod } from '../../api/core-v1.js';
import type { DNSConfig } from '../../cri/types.js';

export interface ClusterDnsSettings {
  /** Cluster DNS service IPs (default 10.43.0.10); empty → pods fall back to the host's resolv.conf. */
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's resolv.conf, parsed. */
  host: DNSConfig;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

/** Parses resolv.conf text: nameserver, search/domain, options lines. */
export function parseResolvConf(text: string): DNSConfig {
  const cfg: DNSConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) cfg.servers.push(fields[0]);
    // The last search/domain line wins, as in the resolver.
    else if (key === 'search' || key === 'domain') cfg.searches = fields.filter((f) => f !== '.');
    else if (key === 'options') cfg.options.push(...fields);
  }
  return cfg;
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Options by name; a later value replaces an earlier one, order of first appearance kept. */
function mergeOptions(existing: string[], extra: { name: string; value?: string }[]): string[] {
  const m = new Map<string, string>();
  for (const o of existing) {
    const i = o.indexOf(':');
    m.set(i < 0 ? o : o.slice(0, i), o);
  }
  for (const o of extra) m.set(o.name, o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name);
  return [...m.values()];
}

type Mode = 'cluster' | 'host' | 'none';

function modeFor(pod: Pod, s: ClusterDnsSettings): Mode {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'None') return 'none';
  if (policy === 'Default') return 'host';
  if (policy === 'ClusterFirst' && pod.spec.hostNetwork) return 'host';
  // ClusterFirst, ClusterFirstWithHostNet; with no cluster DNS upstream falls back to the host's.
  return s.clusterDNS.length > 0 ? 'cluster' : 'host';
}

export function podDnsConfig(pod: Pod, s: ClusterDnsSettings): DNSConfig {
  const ns = pod.metadata.namespace ?? 'default';
  let cfg: DNSConfig;
  switch (modeFor(pod, s)) {
    case 'none':
      cfg = { servers: [], searches: [], options: [] };
      break;
    case 'host':
      cfg = { servers: [...s.host.servers], searches: [...s.host.searches], options: [...s.host.options] };
      break;
    case 'cluster': {
      const d = s.clusterDomain;
      cfg = {
        servers: [...s.clusterDNS],
        searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...s.host.searches]),
        options: ['ndots:5'],
      };
      break;
    }
  }
  const extra = pod.spec.dnsConfig;
  if (extra) {
    cfg.servers = unique([...cfg.servers, ...(extra.nameservers ?? [])]);
    cfg.searches = unique([...cfg.searches, ...(extra.searches ?? [])]);
    cfg.options = mergeOptions(cfg.options, extra.options ?? []);
  }
  cfg.servers = cfg.servers.slice(0, MAX_NAMESERVERS);
  cfg.searches = cfg.searches.slice(0, MAX_SEARCHES);
  return cfg;
}
