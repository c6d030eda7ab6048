// DefaultTolerationSeconds admission: every new pod that does not already
// tolerate the not-ready / unreachable NoExecute taints gets a toleration
// for each, bounded in time, so pods leave a failed node after a while
// (300 s upstream).
import type { AdmissionHook } from '../rest/context.js';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Whether any toleration already covers NoExecute for `key` (an empty key or effect is a wildcard). */
function covers(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
}

export function defaultTolerationSeconds(notReadySeconds = DEFAULT_TOLERATION_SECONDS, unreachableSeconds = notReadySeconds): AdmissionHook {
  return async (op, r, obj) => {
    if (op !== 'CREATE' || r.group !== '' || r.resource !== 'pods') return;
    const spec = obj.spec as { tolerations?: Toleration[] } | undefined;
    if (!spec) return;
    const tolerations = spec.tolerations ?? [];
    const added: Toleration[] = [];
    if (!covers(tolerations, NOT_READY_TAINT)) added.push({ key: NOT_READY_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReadySeconds });
    if (!covers(tolerations, UNREACHABLE_TAINT)) added.push({ key: UNREACHABLE_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachableSeconds });
    if (added.length) spec.tolerations = [...tolerations, ...added];
  };
}
