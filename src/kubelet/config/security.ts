// Pod and container security settings as CRI security contexts.
import type { Container, Pod, SecurityContext } from '../../api/core-v1.js';
import type { LinuxContainerSecurityContext, LinuxSandboxSecurityContext, NamespaceOption } from '../../cri/types.js';
import { CreateContainerConfigError } from '../errors.js';

/** /proc and /sys paths hidden or read-only in unprivileged containers (upstream's defaults). */
export const DEFAULT_MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const DEFAULT_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export function namespaceOptions(pod: Pod): NamespaceOption {
  return {
    network: pod.spec.hostNetwork ? 'NODE' : 'POD',
    pid: pod.spec.hostPID ? 'NODE' : pod.spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: pod.spec.hostIPC ? 'NODE' : 'POD',
  };
}

const int64 = (n: number | undefined) => (n === undefined ? undefined : { value: String(n) });

function supplementalGroups(pod: Pod): string[] {
  const sc = pod.spec.securityContext;
  const groups = [...(sc?.supplementalGroups ?? [])];
  if (sc?.fsGroup !== undefined) groups.unshift(sc.fsGroup);
  return [...new Set(groups)].map(String);
}

const anyPrivileged = (pod: Pod) => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].some((c) => c.securityContext?.privileged);

export function sandboxSecurityContext(pod: Pod): LinuxSandboxSecurityContext {
  const sc = pod.spec.securityContext;
  const out: LinuxSandboxSecurityContext = { namespace_options: namespaceOptions(pod), privileged: anyPrivileged(pod) };
  if (sc?.runAsUser !== undefined) out.run_as_user = int64(sc.runAsUser);
  if (sc?.runAsGroup !== undefined) out.run_as_group = int64(sc.runAsGroup);
  const groups = supplementalGroups(pod);
  if (groups.length) out.supplemental_groups = groups;
  return out;
}

/** Container settings with the pod's runAsUser/runAsGroup/runAsNonRoot as defaults. */
export function effectiveSecurityContext(pod: Pod, c: Container): SecurityContext {
  const p = pod.spec.securityContext ?? {};
  const sc = { ...(c.securityContext ?? {}) };
  sc.runAsUser ??= p.runAsUser;
  sc.runAsGroup ??= p.runAsGroup;
  sc.runAsNonRoot ??= p.runAsNonRoot;
  return sc;
}

export function containerSecurityContext(pod: Pod, c: Container): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, c);
  // The image's user is checked by the runtime; a declared root uid can be refused here.
  if (sc.runAsNonRoot && sc.runAsUser === 0) throw new CreateContainerConfigError("container's runAsUser breaks non-root policy");
  const privileged = sc.privileged === true;
  const out: LinuxContainerSecurityContext = {
    namespace_options: namespaceOptions(pod),
    privileged,
    readonly_rootfs: sc.readOnlyRootFilesystem === true,
    no_new_privs: sc.allowPrivilegeEscalation === false,
    // containerd prefixes CAP_ itself; CRI names are upstream's (NET_ADMIN, ALL).
    capabilities: { add_capabilities: sc.capabilities?.add ?? [], drop_capabilities: sc.capabilities?.drop ?? [] },
  };
  if (sc.runAsUser !== undefined) out.run_as_user = int64(sc.runAsUser);
  if (sc.runAsGroup !== undefined) out.run_as_group = int64(sc.runAsGroup);
  const groups = supplementalGroups(pod);
  if (groups.length) out.supplemental_groups = groups;
  const unmasked = sc.procMount === 'Unmasked';
  if (!privileged) {
    out.masked_paths = unmasked ? [] : [...DEFAULT_MASKED_PATHS];
    out.readonly_paths = unmasked ? [] : [...DEFAULT_READONLY_PATHS];
  }
  return out;
}

export function sandboxSysctls(pod: Pod): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of pod.spec.securityContext?.sysctls ?? []) out[s.name] = s.value;
  return out;
}
