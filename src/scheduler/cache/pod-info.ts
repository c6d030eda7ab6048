// A pod plus what the scheduler derives from it once (requests, parsed
// affinity terms, host ports), so that filters do not re-parse per node.
import { labelSelectorFromObject, matchesLabels, NOTHING, newRequirement, type LabelSelector, type Requirement } from '../../api/labels.js';
import { podRequests, type Resource } from '../resources.js';
import { podKey, podPriority, type Pod, type PodAffinityTerm, type WeightedPodAffinityTerm } from '../types.js';

/** A parsed pod (anti-)affinity term. */
export interface AffinityTerm {
  readonly selector: LabelSelector;
  /** Explicit namespaces; the pod's own when neither these nor a selector are given. */
  readonly namespaces: ReadonlySet<string>;
  /** A nil namespaceSelector selects nothing; `{}` selects every namespace. */
  readonly namespaceSelector: LabelSelector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

/** Namespace name → labels, for namespaceSelector. */
export type NamespaceLabels = ReadonlyMap<string, Record<string, string>>;

export class PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly priority: number;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  readonly hostPorts: readonly HostPort[];

  constructor(readonly pod: Pod) {
    this.key = podKey(pod);
    this.namespace = pod.metadata.namespace ?? 'default';
    this.priority = podPriority(pod);
    this.requests = podRequests(pod);
    this.nonZeroRequests = podRequests(pod, true);
    const aff = pod.spec?.affinity;
    this.requiredAffinity = (aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(pod, t));
    this.requiredAntiAffinity = (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(pod, t));
    this.preferredAffinity = (aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseWeighted(pod, t));
    this.preferredAntiAffinity = (aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      parseWeighted(pod, t),
    );
    this.hostPorts = collectHostPorts(pod);
  }

  get labels(): Record<string, string> {
    return this.pod.metadata.labels ?? {};
  }

  get hasAffinity(): boolean {
    return (
      this.requiredAffinity.length + this.requiredAntiAffinity.length + this.preferredAffinity.length + this.preferredAntiAffinity.length >
      0
    );
  }
}

function safeSelector(sel: PodAffinityTerm['labelSelector']): LabelSelector {
  try {
    return labelSelectorFromObject(sel);
  } catch {
    return NOTHING; // invalid selectors cannot pass validation; never match
  }
}

// matchLabelKeys / mismatchLabelKeys add `key in/notin (pod's value)` to the selector.
function withLabelKeys(pod: Pod, t: PodAffinityTerm, sel: LabelSelector): LabelSelector {
  const labels = pod.metadata.labels ?? {};
  const extra: Requirement[] = [];
  for (const k of t.matchLabelKeys ?? []) if (k in labels) extra.push(newRequirement(k, 'in', [labels[k]!]));
  for (const k of t.mismatchLabelKeys ?? []) if (k in labels) extra.push(newRequirement(k, 'notin', [labels[k]!]));
  if (!extra.length || sel.nothing) return sel;
  return { requirements: [...sel.requirements, ...extra] };
}

function parseTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  const ns = new Set(t.namespaces ?? []);
  const nsSelector = t.namespaceSelector === undefined || t.namespaceSelector === null ? NOTHING : safeSelector(t.namespaceSelector);
  if (ns.size === 0 && nsSelector.nothing) ns.add(pod.metadata.namespace ?? 'default');
  return {
    selector: withLabelKeys(pod, t, safeSelector(t.labelSelector)),
    namespaces: ns,
    namespaceSelector: nsSelector,
    topologyKey: t.topologyKey,
  };
}

function parseWeighted(pod: Pod, t: WeightedPodAffinityTerm): WeightedAffinityTerm {
  return { ...parseTerm(pod, t.podAffinityTerm), weight: t.weight };
}

/** Does `term` select the pod `target`? */
export function termMatches(term: AffinityTerm, target: PodInfo, nsLabels: NamespaceLabels): boolean {
  if (!term.namespaces.has(target.namespace)) {
    if (term.namespaceSelector.nothing) return false;
    if (!matchesLabels(term.namespaceSelector, nsLabels.get(target.namespace) ?? {})) return false;
  }
  return matchesLabels(term.selector, target.labels);
}

function collectHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const spec = pod.spec;
  for (const list of [spec?.containers, spec?.initContainers]) {
    for (const c of list ?? []) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
  }
  return out;
}
