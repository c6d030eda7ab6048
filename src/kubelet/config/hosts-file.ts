// The kubelet-managed /etc/hosts of a pod.
import type { Pod } from '../../api/core-v1.js';

/** Hostname and optional domain a pod's containers see (spec.hostname/subdomain, else the pod name). */
export function podHostname(pod: Pod, clusterDomain: string): { hostname: string; domain?: string } {
  let hostname = pod.spec.hostname || (pod.metadata.name ?? '');
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const sub = pod.spec.subdomain;
  return sub ? { hostname, domain: `${sub}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` } : { hostname };
}

function aliasLines(pod: Pod): string {
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

export function managedHostsFile(pod: Pod, podIPs: string[], clusterDomain: string): string {
  const { hostname, domain } = podHostname(pod, clusterDomain);
  let out = '# Kubernetes-managed hosts file.\n';
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + aliasLines(pod);
}

/** hostNetwork pods see the node's own hosts file, plus their hostAliases. */
export function hostNetworkHostsFile(pod: Pod, nodeHosts: string): string {
  return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${nodeHosts.endsWith('\n') || nodeHosts === '' ? '' : '\n'}${aliasLines(pod)}`;
}
