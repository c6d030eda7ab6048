// Pod specs → CRI sandbox and container configs (RuntimeConfigBuilder).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Container, Pod } from '../api/core-v1.js';
import { parseQuantity, value as quantityValue } from '../api/quantity.js';
import type { ContainerConfig, PodSandboxConfig, PortMapping } from '../cri/types.js';
import { podDnsConfig, parseResolvConf } from './config/dns.js';
import { containerEnv, podServiceEnv } from './config/env.js';
import { expandVars, mapLookup } from './config/expand.js';
import { specHash } from './config/hash.js';
import { hostNetworkHostsFile, managedHostsFile, podHostname } from './config/hosts-file.js';
import { volumeMounts } from './config/mounts.js';
import { containerLinuxResources } from './config/resources.js';
import { containerSecurityContext, sandboxSecurityContext, sandboxSysctls } from './config/security.js';
import type { ObjectSource } from './object-source.js';
import { CRI_ANNOTATIONS, CRI_LABELS, type ContainerContext, type RuntimeConfigBuilder, type SandboxContext } from './seams.js';
import { writeAtomic } from '../apiserver/pki/files.js';

/** What the builder needs of the pod cgroup manager (PodCgroupManager in cgroups.ts). */
export interface PodCgroups {
  ensure(pod: Pod): Promise<string>;
  remove(podUid: string): Promise<void>;
}

export interface RuntimeConfigOptions {
  /** `<agentDir>/pods`: per-pod files (etc-hosts, termination logs) live under `<podsDir>/<uid>`. */
  podsDir: string;
  /** Pod log directories are `<logRoot>/<ns>_<name>_<uid>`. */
  logRoot: string;
  objects: ObjectSource;
  /** The node's allocatable resources: defaults for unset limits in the downward API, memory for OOM scores. */
  nodeAllocatable: () => Record<string, string>;
  cgroups?: PodCgroups;
  clusterDNS?: string[];
  clusterDomain?: string;
  /** The node's resolv.conf (for dnsPolicy Default and host search domains). */
  resolvConfPath?: string;
  /** The node's hosts file (for hostNetwork pods). */
  hostsPath?: string;
  masterServiceNamespace?: string;
}

const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

async function writeFileAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, data, 0o644);
}

async function readOr(file: string, fallback: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return fallback;
  }
}

export class PodRuntimeConfigBuilder implements RuntimeConfigBuilder {
  private readonly clusterDNS: string[];
  private readonly clusterDomain: string;

  constructor(private readonly opts: RuntimeConfigOptions) {
    this.clusterDNS = opts.clusterDNS ?? ['10.43.0.10'];
    this.clusterDomain = opts.clusterDomain ?? 'cluster.local';
  }

  podDir(uid: string): string {
    return path.join(this.opts.podsDir, uid);
  }

  logDirectory(pod: Pod): string {
    return path.join(this.opts.logRoot, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
  }

  terminationLogPath(podUid: string, containerName: string, restartCount: number): string {
    return path.join(this.podDir(podUid), 'containers', containerName, `termination-log-${restartCount}`);
  }

  async sandboxConfig(pod: Pod, ctx: SandboxContext): Promise<PodSandboxConfig> {
    const md = pod.metadata;
    const logDir = this.logDirectory(pod);
    await fs.mkdir(logDir, { recursive: true });
    const host = parseResolvConf(await readOr(this.opts.resolvConfPath ?? '/etc/resolv.conf', ''));
    const cgroupParent = this.opts.cgroups ? await this.opts.cgroups.ensure(pod) : '';
    return {
      metadata: { name: md.name ?? '', namespace: md.namespace ?? '', uid: md.uid ?? '', attempt: ctx.attempt },
      // hostNetwork sandboxes keep the node's hostname.
      hostname: pod.spec.hostNetwork ? '' : podHostname(pod, this.clusterDomain).hostname,
      log_directory: logDir,
      dns_config: podDnsConfig(pod, { clusterDNS: this.clusterDNS, clusterDomain: this.clusterDomain, host }),
      port_mappings: portMappings(pod),
      labels: { ...(md.labels ?? {}), ...podLabels(pod) },
      annotations: { ...(md.annotations ?? {}) },
      linux: {
        cgroup_parent: cgroupParent,
        security_context: sandboxSecurityContext(pod),
        sysctls: sandboxSysctls(pod),
      },
    };
  }

  async containerConfig(pod: Pod, c: Container, ctx: ContainerContext): Promise<ContainerConfig> {
    const uid = pod.metadata.uid ?? '';
    const envCtx = { objects: this.opts.objects, nodeAllocatable: this.opts.nodeAllocatable(), podIP: ctx.podIP, podIPs: ctx.podIPs, hostIP: ctx.hostIP, masterServiceNamespace: this.opts.masterServiceNamespace };
    const services = await podServiceEnv(pod, envCtx);
    const env = await containerEnv(pod, c, envCtx, services);
    const envMap = new Map(env);
    const lookup = mapLookup(envMap);
    const security = containerSecurityContext(pod, c);

    const mounts = await volumeMounts(pod, c, ctx.volumes, envMap, security.privileged === true);
    const mounted = new Set(mounts.map((m) => m.container_path));
    if (!mounted.has('/etc/hosts') && ctx.podIPs.length + (ctx.podIP ? 1 : 0) > 0) {
      mounts.push({ container_path: '/etc/hosts', host_path: await this.writeHostsFile(pod, ctx), readonly: false });
    }
    const annotations: Record<string, string> = {
      [CRI_ANNOTATIONS.containerHash]: specHash(c),
      [CRI_ANNOTATIONS.restartCount]: String(ctx.restartCount),
      [CRI_ANNOTATIONS.terminationMessagePolicy]: c.terminationMessagePolicy ?? 'File',
      [CRI_ANNOTATIONS.podTerminationGracePeriod]: String(pod.spec.terminationGracePeriodSeconds ?? 30),
      [CRI_ANNOTATIONS.containerType]: ctx.type,
    };
    const tmp = c.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH;
    if (tmp && !mounted.has(tmp)) {
      const file = this.terminationLogPath(uid, c.name, ctx.restartCount);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, '', { mode: 0o666 });
      mounts.push({ container_path: tmp, host_path: file, readonly: false });
      annotations[CRI_ANNOTATIONS.terminationMessagePath] = tmp;
      annotations[CRI_ANNOTATIONS.terminationLogHostPath] = file;
    }
    if (c.ports?.length) annotations[CRI_ANNOTATIONS.containerPorts] = JSON.stringify(c.ports);
    if (c.lifecycle?.preStop) annotations[CRI_ANNOTATIONS.preStopHandler] = JSON.stringify(c.lifecycle.preStop);

    return {
      metadata: { name: c.name, attempt: ctx.restartCount },
      image: { image: c.image ?? '' },
      command: (c.command ?? []).map((s) => expandVars(s, lookup)),
      args: (c.args ?? []).map((s) => expandVars(s, lookup)),
      working_dir: c.workingDir ?? '',
      envs: env.map(([key, value]) => ({ key, value })),
      mounts,
      labels: { ...podLabels(pod), [CRI_LABELS.containerName]: c.name },
      annotations,
      log_path: `${c.name}/${ctx.restartCount}.log`,
      stdin: c.stdin === true,
      stdin_once: c.stdinOnce === true,
      tty: c.tty === true,
      linux: {
        resources: containerLinuxResources(pod, c, this.nodeMemory()),
        security_context: security,
      },
    };
  }

  async releasePod(podUid: string): Promise<void> {
    await this.opts.cgroups?.remove(podUid);
    await fs.rm(path.join(this.podDir(podUid), 'etc-hosts'), { force: true });
    await fs.rm(path.join(this.podDir(podUid), 'containers'), { recursive: true, force: true });
  }

  private nodeMemory(): bigint {
    const m = this.opts.nodeAllocatable().memory;
    return m ? quantityValue(parseQuantity(m)) : 0n;
  }

  private async writeHostsFile(pod: Pod, ctx: ContainerContext): Promise<string> {
    const file = path.join(this.podDir(pod.metadata.uid ?? ''), 'etc-hosts');
    const ips = ctx.podIPs.length ? ctx.podIPs : [ctx.podIP];
    const text = pod.spec.hostNetwork
      ? hostNetworkHostsFile(pod, await readOr(this.opts.hostsPath ?? '/etc/hosts', ''))
      : managedHostsFile(pod, ips, this.clusterDomain);
    await writeFileAtomic(file, text);
    return file;
  }
}

function podLabels(pod: Pod): Record<string, string> {
  return {
    [CRI_LABELS.podName]: pod.metadata.name ?? '',
    [CRI_LABELS.podNamespace]: pod.metadata.namespace ?? '',
    [CRI_LABELS.podUid]: pod.metadata.uid ?? '',
    [CRI_LABELS.managedBy]: 'true',
  };
}

/** hostPorts of all containers (ports without a hostPort need no mapping). */
export function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: p.protocol ?? 'TCP', container_port: p.containerPort, host_port: p.hostPort, host_ip: p.hostIP ?? '' });
    }
  }
  return out;
}
