// Whether a daemon pod should run on a node: its nodeName, nodeSelector,
// required node affinity and taints, as upstream's NodeShouldRunDaemonPod.
import type { Node, PodSpec } from '../../client/types.js';
import { untoleratedTaint } from './tolerations.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from './types.js';

function matchesRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      return req.operator === 'Gt' ? BigInt(value) > BigInt(values[0]!) : BigInt(value) < BigInt(values[0]!);
    }
    default: return false;
  }
}

/** One term: every expression (on labels) and field (only metadata.name) must match; an empty term matches nothing. */
export function matchesTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => matchesRequirement(r, labels[r.key])) && fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, node.metadata.name));
}

/** Terms are ORed. */
export const matchesNodeSelectorTerms = (terms: NodeSelectorTerm[], node: Node): boolean => terms.some((t) => matchesTerm(t, node));

interface AffinitySpec {
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
}

export interface Eligibility {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (false only for untolerated NoExecute taints or a mismatch). */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, spec: PodSpec, tolerations: Toleration[]): Eligibility {
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return no;
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return no;
  const terms = (spec as AffinitySpec).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !matchesNodeSelectorTerms(terms, node)) return no;
  const taints = node.spec?.taints as Taint[] | undefined;
  if (untoleratedTaint(taints, tolerations, ['NoExecute'])) return no;
  if (untoleratedTaint(taints, tolerations, ['NoSchedule'])) return { shouldRun: false, shouldContinueRunning: true };
  return { shouldRun: true, shouldContinueRunning: true };
}
