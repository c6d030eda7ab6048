// Matching rules shared by several plugins: tolerations against taints and
// node selector terms against a node's labels and fields.
import type { NodeInfo } from '../cache/node-info.js';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from '../types.js';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      // An empty key is only valid with Exists; with Equal it matches no key.
      return !!t.key && (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function toleratedBy(taint: Taint, tolerations: readonly Toleration[]): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], effects: ReadonlySet<string>): Taint | undefined {
  for (const taint of taints) if (effects.has(taint.effect) && !toleratedBy(taint, tolerations)) return taint;
  return undefined;
}

const INT_RE = /^[+-]?\d+$/;

function requirementMatches(r: NodeSelectorRequirement, get: (key: string) => string | undefined): boolean {
  const v = get(r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return v !== undefined && values.includes(v);
    case 'NotIn':
      return v === undefined || !values.includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
    case 'Lt': {
      if (v === undefined || values.length !== 1 || !INT_RE.test(v) || !INT_RE.test(values[0]!)) return false;
      const a = BigInt(v);
      const b = BigInt(values[0]!);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term matches when all its requirements do; an empty term matches nothing. */
export function termMatchesNode(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, (k) => (Object.hasOwn(labels, k) ? labels[k] : undefined))) return false;
  // metadata.name is the only supported field.
  for (const r of fields) if (!requirementMatches(r, (k) => (k === 'metadata.name' ? node.metadata.name : undefined))) return false;
  return true;
}

/** Terms are ORed. */
export function anyTermMatches(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  for (const t of terms) if (termMatchesNode(t, node)) return true;
  return false;
}

/** spec.nodeSelector and required node affinity, as NodeAffinity's filter and PodTopologySpread's Honor policy. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const sel = pod.spec?.nodeSelector;
  if (sel) {
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of Object.entries(sel)) if (labels[k] !== v) return false;
  }
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) return anyTermMatches(req.nodeSelectorTerms ?? [], node);
  return true;
}

export function nodeOf(ni: NodeInfo): Node {
  return ni.node ?? { metadata: { name: ni.name } };
}
