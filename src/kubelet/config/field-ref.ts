// The downward API: pod fields (fieldRef) and container resources
// (resourceFieldRef), shared by env vars and downwardAPI volume files.
import type { Container, Pod, ResourceFieldSelector } from '../../api/core-v1.js';
import { parseQuantity, milliValue, value as quantityValue } from '../../api/quantity.js';

export class FieldRefError extends Error {
  override name = 'FieldRefError';
}

export interface PodRuntimeFacts {
  podIP?: string;
  podIPs?: string[];
  hostIP?: string;
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** `key="value"` lines sorted by key, with the value quoted as Go's %q does for common text. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** The value of a fieldRef path. Whole label/annotation maps are only valid in volumes. */
export function podFieldValue(pod: Pod, fieldPath: string, facts: PodRuntimeFacts, allowMaps = false): string {
  const md = pod.metadata;
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) {
    const map = sub[1] === 'labels' ? md.labels : md.annotations;
    return map?.[sub[2]!] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return facts.hostIP ?? pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (facts.hostIP ? [facts.hostIP] : (pod.status?.hostIPs ?? []).map((h) => h.ip)).join(',');
    case 'status.podIP':
      return facts.podIP ?? pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (facts.podIPs ?? (pod.status?.podIPs ?? []).map((p) => p.ip)).join(',');
    case 'metadata.labels':
      if (allowMaps) return formatMap(md.labels);
      break;
    case 'metadata.annotations':
      if (allowMaps) return formatMap(md.annotations);
      break;
  }
  throw new FieldRefError(`unsupported fieldPath: ${fieldPath}`);
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a <= 0n ? 0n : (a + b - 1n) / b);

/**
 * A container resource as the downward API shows it: divided by the divisor
 * and rounded up; cpu is compared in millicores. Unset limits fall back to
 * the node's allocatable, as upstream.
 */
export function resourceFieldValue(pod: Pod, sel: ResourceFieldSelector, defaultContainer: Container | undefined, nodeAllocatable: Record<string, string>): string {
  const name = sel.containerName || defaultContainer?.name;
  const container = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);
  if (!container) throw new FieldRefError(`resourceFieldRef: container "${name ?? ''}" not found`);
  const [kind, resource] = splitResource(sel.resource);
  let raw = container.resources?.[kind]?.[resource];
  if (raw === undefined && kind === 'limits') raw = nodeAllocatable[resource];
  const q = parseQuantity(String(raw ?? '0'));
  const divisor = parseQuantity(String(sel.divisor ?? '1'));
  if (resource === 'cpu') {
    const d = milliValue(divisor);
    if (d <= 0n) throw new FieldRefError('resourceFieldRef: divisor must be positive');
    return ceilDiv(milliValue(q), d).toString();
  }
  // Memory, ephemeral-storage, hugepages: whole units, rounded up.
  const d = quantityValue(divisor);
  if (d <= 0n) throw new FieldRefError('resourceFieldRef: divisor must be positive');
  return ceilDiv(quantityValue(q), d).toString();
}

function splitResource(r: string): ['limits' | 'requests', string] {
  const dot = r.indexOf('.');
  const kind = r.slice(0, dot);
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests')) throw new FieldRefError(`unsupported resource: ${r}`);
  return [kind, r.slice(dot + 1)];
}
