// Flags the node agent takes, shared by `kubets agent` and `kubets server`
// (which runs an agent in-process).
import path from 'node:path';
import { OCI_RUNTIMES, type OciRuntimeChoice } from '../agent/oci-runtime.js';
import { AGENT_ADDONS, AGENT_DEFAULTS, type AgentAddon, defaultNodeName, detectNodeIP, type AgentSettings } from '../agent/options.js';

export const AGENT_FLAG_OPTIONS = {
  'node-name': { type: 'string' },
  'node-ip': { type: 'string' },
  'kubelet-port': { type: 'string' },
  'max-pods': { type: 'string' },
  'container-runtime-endpoint': { type: 'string' },
  'oci-runtime': { type: 'string' },
  'cluster-dns': { type: 'string' },
  'cluster-domain': { type: 'string' },
  'service-cidr': { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  'pod-network': { type: 'string' },
  'cgroup-root': { type: 'string' },
  disable: { type: 'string', multiple: true },
  'ingress-http-port': { type: 'string' },
  'ingress-https-port': { type: 'string' },
} as const;

export const AGENT_FLAG_HELP = `  --node-name NAME         this node's name (default: the hostname)
  --node-ip IP             this node's address (default: the first global IPv4 address)
  --kubelet-port N         kubelet API port (default ${AGENT_DEFAULTS.kubeletPort})
  --max-pods N             pods this node takes (default ${AGENT_DEFAULTS.maxPods})
  --container-runtime-endpoint unix:///PATH   use this CRI runtime instead of a private containerd
  --oci-runtime auto|crun|runc   the runtime containerd's shims run (default auto: crun when it works here, else runc)
  --cluster-dns IP         DNS server written into pods' resolv.conf (default ${AGENT_DEFAULTS.clusterDNS})
  --cluster-domain NAME    cluster domain (default ${AGENT_DEFAULTS.clusterDomain})
  --service-cidr CIDR      service network (default ${AGENT_DEFAULTS.serviceCIDR})
  --insecure-registry HOST:PORT   a registry reached over plain HTTP (repeatable)
  --pod-network host-gw|none      route other nodes' podCIDRs via their addresses (default host-gw)
  --cgroup-root PATH       the cgroup pods live under (default /kubepods)
  --disable ADDON[,ADDON]  node add-ons not to run: proxy, dns, ingress (repeatable)
  --ingress-http-port N    the ingress controller's HTTP port on the node address (default 80)
  --ingress-https-port N   its HTTPS port (default 443)`;

export class FlagError extends Error {
  override name = 'FlagError';
}

function intFlag(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new FlagError(`invalid --${name} ${v}: want an integer in [${min}, ${max}]`);
  return n;
}

type Values = { [K in keyof typeof AGENT_FLAG_OPTIONS]?: (typeof AGENT_FLAG_OPTIONS)[K] extends { multiple: true } ? string[] : string } & { 'cluster-cidr'?: string };

function addons(values: string[] | undefined): AgentAddon[] {
  const out = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const a of out) if (!(AGENT_ADDONS as readonly string[]).includes(a)) throw new FlagError(`invalid --disable ${a}: want one of ${AGENT_ADDONS.join(', ')}`);
  return out as AgentAddon[];
}

export function agentSettings(values: Values, dataDir: string): AgentSettings {
  const nodeIP = values['node-ip'] ?? detectNodeIP();
  if (!nodeIP) throw new FlagError('cannot find a global IPv4 address for this node: pass --node-ip');
  const nodeName = values['node-name'] ?? defaultNodeName();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(nodeName)) throw new FlagError(`invalid --node-name ${JSON.stringify(nodeName)}: want a lower-case DNS subdomain`);
  const endpoint = values['container-runtime-endpoint'];
  if (endpoint && !endpoint.startsWith('unix://')) throw new FlagError(`invalid --container-runtime-endpoint ${endpoint}: want unix:///path/to/socket`);
  const podNetwork = values['pod-network'] ?? 'host-gw';
  const cgroupRoot = values['cgroup-root'];
  if (cgroupRoot !== undefined && (!/^(\/[A-Za-z0-9_.-]+)+$/.test(cgroupRoot) || cgroupRoot.split('/').some((seg) => seg === '.' || seg === '..'))) throw new FlagError(`invalid --cgroup-root ${cgroupRoot}: want an absolute cgroup path such as /kubepods`);
  const ociRuntime = values['oci-runtime'] ?? 'auto';
  if (!(OCI_RUNTIMES as readonly string[]).includes(ociRuntime)) throw new FlagError(`invalid --oci-runtime ${ociRuntime}: want one of ${OCI_RUNTIMES.join(', ')}`);
  if (podNetwork !== 'host-gw' && podNetwork !== 'none') throw new FlagError(`invalid --pod-network ${podNetwork}: want host-gw or none`);
  return {
    nodeName,
    nodeIP,
    dataDir: path.resolve(dataDir),
    runtimeEndpoint: endpoint,
    ociRuntime: ociRuntime as OciRuntimeChoice,
    kubeletPort: intFlag('kubelet-port', values['kubelet-port'], AGENT_DEFAULTS.kubeletPort, 0, 65535),
    maxPods: intFlag('max-pods', values['max-pods'], AGENT_DEFAULTS.maxPods, 1, 10_000),
    clusterDNS: values['cluster-dns'] ?? AGENT_DEFAULTS.clusterDNS,
    clusterDomain: values['cluster-domain'] ?? AGENT_DEFAULTS.clusterDomain,
    clusterCIDR: values['cluster-cidr'] ?? AGENT_DEFAULTS.clusterCIDR,
    serviceCIDR: values['service-cidr'] ?? AGENT_DEFAULTS.serviceCIDR,
    insecureRegistries: values['insecure-registry'] ?? [],
    podNetwork,
    disable: addons(values.disable),
    ingressHttpPort: intFlag('ingress-http-port', values['ingress-http-port'], 80, 0, 65535),
    ingressHttpsPort: intFlag('ingress-https-port', values['ingress-https-port'], 443, 0, 65535),
    ...(cgroupRoot ? { cgroupRoot } : {}),
  };
}
