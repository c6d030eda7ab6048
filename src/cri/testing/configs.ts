// Minimal CRI configs for component tests (the kubelet builds real ones).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';
import { BUSYBOX_IMAGE } from '../../agent/images/names.js';

export function testSandboxConfig(
  node: { logDir: string; cgroupParent: string },
  name: string,
  over: Partial<PodSandboxConfig> = {},
): PodSandboxConfig {
  const uid = randomUUID();
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    log_directory: join(node.logDir, `default_${name}_${uid}`),
    port_mappings: [],
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
    annotations: {},
    linux: { cgroup_parent: join(node.cgroupParent, `pod${uid}`) },
    ...over,
  };
}

export function testContainerConfig(name: string, command: string[], over: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: BUSYBOX_IMAGE },
    command,
    args: [],
    working_dir: '',
    envs: [],
    mounts: [],
    labels: { 'io.kubernetes.container.name': name },
    annotations: {},
    log_path: `${name}/0.log`,
    stdin: false,
    stdin_once: false,
    tty: false,
    ...over,
  };
}
