// Job conditions: reasons and messages as upstream's (1.31+: the
// SuccessCriteriaMet/FailureTarget interim conditions before Complete/Failed).
import type { Condition } from '../../client/types.js';

export const REASONS = {
  completionsReached: ['CompletionsReached', 'Reached expected number of succeeded pods'],
  backoffLimitExceeded: ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  deadlineExceeded: ['DeadlineExceeded', 'Job was active longer than specified deadline'],
  suspended: ['JobSuspended', 'Job suspended'],
  resumed: ['JobResumed', 'Job resumed'],
} as const;

export const findCondition = (conds: Condition[] | undefined, type: string): Condition | undefined => conds?.find((c) => c.type === type);
export const hasTrueCondition = (conds: Condition[] | undefined, type: string): boolean => findCondition(conds, type)?.status === 'True';

/** Sets a condition; the transition time only moves when the status changes. */
export function setCondition(conds: Condition[], type: string, status: 'True' | 'False', reason: string, message: string, now: string): Condition[] {
  const old = findCondition(conds, type);
  if (old && old.status === status && old.reason === reason && old.message === message) return conds;
  const next: Condition = { type, status, reason, message, lastProbeTime: now, lastTransitionTime: old && old.status === status ? old.lastTransitionTime ?? now : now };
  return old ? conds.map((c) => (c === old ? next : c)) : [...conds, next];
}

export const isJobFinished = (conds: Condition[] | undefined): boolean => hasTrueCondition(conds, 'Complete') || hasTrueCondition(conds, 'Failed');
