// podFailurePolicy: the first rule matching a failed pod decides what its
// failure means (FailJob, Ignore, Count). No match counts it as usual.
import type { Pod } from '../../client/types.js';
import type { PodFailurePolicyRule } from './types.js';

export interface FailurePolicyMatch {
  action: PodFailurePolicyRule['action'];
  /** For FailJob: the reason's message, as upstream words it. */
  message: string;
}

interface ContainerStatus {
  name: string;
  state?: { terminated?: { exitCode?: number } };
}

const statuses = (pod: Pod, key: 'containerStatuses' | 'initContainerStatuses') => (pod.status?.[key] as ContainerStatus[] | undefined) ?? [];

export function matchPodFailurePolicy(rules: PodFailurePolicyRule[] | undefined, pod: Pod): FailurePolicyMatch | undefined {
  const podRef = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [i, rule] of (rules ?? []).entries()) {
    if (rule.onExitCodes) {
      if (pod.status?.phase !== 'Failed') continue;
      const req = rule.onExitCodes;
      for (const c of [...statuses(pod, 'containerStatuses'), ...statuses(pod, 'initContainerStatuses')]) {
        const code = c.state?.terminated?.exitCode;
        // Exit code 0 never matches: that container succeeded.
        if (code === undefined || code === 0) continue;
        if (req.containerName && req.containerName !== c.name) continue;
        if (req.values.includes(code) === (req.operator === 'In'))
          return { action: rule.action, message: `Container ${c.name} for pod ${podRef} failed with exit code ${code} matching ${rule.action} rule at index ${i}` };
      }
    } else if (rule.onPodConditions) {
      for (const pattern of rule.onPodConditions) {
        const cond = pod.status?.conditions?.find((c) => c.type === pattern.type);
        if (cond && cond.status === (pattern.status ?? 'True'))
          return { action: rule.action, message: `Pod ${podRef} has condition ${pattern.type} matching ${rule.action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}
