// The Job algorithm as a pure function of the job, its pods and the time:
// which terminated pods to record (uncountedTerminatedPods first, counters
// once their finalizers are gone), which finalizers to remove, how many pods
// to create (and at which indexes) or delete, and the status to write.
import type { Condition, Pod } from '../../client/types.js';
import { isPodReady, isTerminating, rfc3339 } from '../workloads-shared/pod-state.js';
import { findCondition, hasTrueCondition, isJobFinished, REASONS, setCondition } from './conditions.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, parseIndexes, podIndex } from './indexes.js';
import { JOB_TRACKING_FINALIZER, type BatchJob, type JobStatus } from './types.js';

export interface JobPlan {
  status: JobStatus;
  /** Pods whose tracking finalizer can go (their outcome is in `status`). */
  removeFinalizers: Pod[];
  /** Pods to create: one entry each, with its completion index in Indexed mode. */
  create: (number | undefined)[];
  remove: Pod[];
  /** Look again after this long (deadline or failure backoff). */
  requeueAfterMs?: number;
  /** A failure seen this round (for the backoff bookkeeping). */
  newFailures: number;
}

export interface JobPlanInput {
  job: BatchJob;
  pods: Pod[];
  nowMs: number;
  /** When the last pod failure was seen, and how long replacements wait after it. */
  lastFailureMs?: number;
  backoff?: (failures: number) => number;
}

const hasFinalizer = (p: Pod) => p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
const succeeded = (p: Pod) => p.status?.phase === 'Succeeded';
const isActive = (p: Pod) => !succeeded(p) && p.status?.phase !== 'Failed' && !isTerminating(p);

/**
 * Failed, or deleted before it could finish: upstream counts those as
 * failures, unless podReplacementPolicy is Failed and the job is still
 * running (then only the Failed phase counts).
 */
function failedPredicate(job: BatchJob, finishing: boolean): (p: Pod) => boolean {
  const onlyFailedPhase = job.spec.podReplacementPolicy === 'Failed' && !finishing;
  return (p) => p.status?.phase === 'Failed' || (!onlyFailedPhase && isTerminating(p) && p.status?.phase !== 'Succeeded');
}

export const MAX_CREATES_PER_SYNC = 500;

/** The default: 10 s doubling per failure, at most 6 minutes. */
export const defaultJobBackoff = (failures: number): number => Math.min(10_000 * 2 ** Math.max(0, failures - 1), 360_000);

/** Which pods to drop first when there are too many: unscheduled, not ready, then newest. */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (p.spec?.nodeName ? 1 : 0) + (isPodReady(p) ? 2 : 0);
  return rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

export function planJob(input: JobPlanInput): JobPlan {
  const { job, pods, nowMs } = input;
  const now = rfc3339(nowMs);
  const old = job.status ?? {};
  const plan: JobPlan = { status: { ...old }, removeFinalizers: [], create: [], remove: [], newFailures: 0 };
  if (isJobFinished(old.conditions)) {
    plan.removeFinalizers = pods.filter(hasFinalizer);
    return plan;
  }
  const indexed = job.spec.completionMode === 'Indexed';
  const completions = job.spec.completions ?? null;
  const parallelism = job.spec.parallelism ?? 1;
  const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));

  // Uncounted pods whose finalizer is gone move into the counters.
  let nSucceeded = old.succeeded ?? 0;
  let nFailed = old.failed ?? 0;
  const uncounted = { succeeded: [...(old.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(old.uncountedTerminatedPods?.failed ?? [])] };
  const flush = (uids: string[]) => uids.filter((uid) => byUid.has(uid) && hasFinalizer(byUid.get(uid)!));
  const keptS = flush(uncounted.succeeded);
  const keptF = flush(uncounted.failed);
  nSucceeded += uncounted.succeeded.length - keptS.length;
  nFailed += uncounted.failed.length - keptF.length;
  uncounted.succeeded = keptS;
  uncounted.failed = keptF;
  const recorded = new Set([...keptS, ...keptF]);

  const finishing = hasTrueCondition(old.conditions, 'FailureTarget') || hasTrueCondition(old.conditions, 'SuccessCriteriaMet');
  const failed = failedPredicate(job, finishing);
  const completed = indexed ? parseIndexes(old.completedIndexes, completions ?? 0) : new Set<number>();
  let failJob: string | undefined;
  for (const p of pods) {
    if (!hasFinalizer(p)) continue;
    const uid = p.metadata.uid ?? '';
    if (recorded.has(uid)) {
      plan.removeFinalizers.push(p);
      continue;
    }
    if (succeeded(p)) {
      const idx = podIndex(p);
      if (indexed && (idx < 0 || idx >= (completions ?? 0) || completed.has(idx))) {
        // A duplicate or out-of-range index adds nothing.
        plan.removeFinalizers.push(p);
        continue;
      }
      if (indexed) completed.add(idx);
      uncounted.succeeded.push(uid);
      plan.removeFinalizers.push(p);
    } else if (failed(p)) {
      const match = matchPodFailurePolicy(job.spec.podFailurePolicy?.rules, p);
      plan.removeFinalizers.push(p);
      if (match?.action === 'Ignore') continue;
      if (match?.action === 'FailJob') failJob ??= match.message;
      uncounted.failed.push(uid);
      plan.newFailures++;
    }
  }

  const totalSucceeded = nSucceeded + uncounted.succeeded.length;
  const totalFailed = nFailed + uncounted.failed.length;
  const active = pods.filter(isActive);
  const terminating = pods.filter((p) => isTerminating(p) && hasFinalizer(p) && !recorded.has(p.metadata.uid ?? '') && !plan.removeFinalizers.includes(p));
  let conditions: Condition[] = old.conditions ?? [];
  const suspended = job.spec.suspend === true;

  let startTime = old.startTime;
  if (suspended) {
    if (!hasTrueCondition(conditions, 'Suspended')) conditions = setCondition(conditions, 'Suspended', 'True', ...REASONS.suspended, now);
  } else {
    if (hasTrueCondition(conditions, 'Suspended')) {
      conditions = setCondition(conditions, 'Suspended', 'False', ...REASONS.resumed, now);
      // The deadline runs from when the job was resumed.
      startTime = now;
    }
    startTime ??= now;
  }

  // Decide whether the job has reached its end (the interim condition first).
  if (!hasTrueCondition(conditions, 'FailureTarget') && !hasTrueCondition(conditions, 'SuccessCriteriaMet')) {
    const deadline = job.spec.activeDeadlineSeconds;
    const complete = indexed
      ? completed.size >= (completions ?? 0)
      : completions !== null
        ? totalSucceeded >= completions
        : totalSucceeded > 0 && active.length === 0;
    if (failJob) conditions = setCondition(conditions, 'FailureTarget', 'True', 'PodFailurePolicy', failJob, now);
    else if (totalFailed > (job.spec.backoffLimit ?? 6)) conditions = setCondition(conditions, 'FailureTarget', 'True', ...REASONS.backoffLimitExceeded, now);
    else if (!suspended && deadline !== undefined && startTime && nowMs - Date.parse(startTime) >= deadline * 1000)
      conditions = setCondition(conditions, 'FailureTarget', 'True', ...REASONS.deadlineExceeded, now);
    else if (complete) conditions = setCondition(conditions, 'SuccessCriteriaMet', 'True', ...REASONS.completionsReached, now);
    else if (!suspended && deadline !== undefined && startTime) plan.requeueAfterMs = Math.max(1, Date.parse(startTime) + deadline * 1000 - nowMs);
  }

  const target = findCondition(conditions, 'FailureTarget')?.status === 'True' ? findCondition(conditions, 'FailureTarget') : findCondition(conditions, 'SuccessCriteriaMet')?.status === 'True' ? findCondition(conditions, 'SuccessCriteriaMet') : undefined;
  if (target) {
    plan.remove = active;
    // The terminal condition waits until every pod has finished and been counted.
    const settled = active.length === 0 && terminating.length === 0 && uncounted.succeeded.length === 0 && uncounted.failed.length === 0 && plan.removeFinalizers.length === 0;
    if (settled) {
      const final = target.type === 'FailureTarget' ? 'Failed' : 'Complete';
      conditions = setCondition(conditions, final, 'True', target.reason ?? '', target.message ?? '', now);
      if (final === 'Complete') plan.status.completionTime = now;
    }
  } else {
    // With podReplacementPolicy Failed, a terminating pod keeps its slot until it has failed.
    const holding = job.spec.podReplacementPolicy === 'Failed' ? terminating.length : 0;
    manage(plan, input, { indexed, completions, parallelism, suspended, active, completed, totalSucceeded, totalFailed, holding });
  }

  Object.assign(plan.status, {
    active: active.length,
    ready: active.filter(isPodReady).length,
    terminating: terminating.length,
    succeeded: nSucceeded,
    failed: nFailed,
    uncountedTerminatedPods: uncounted,
    conditions,
  });
  if (startTime) plan.status.startTime = startTime;
  if (indexed) plan.status.completedIndexes = formatIndexes(completed);
  return plan;
}

interface ManageState {
  indexed: boolean;
  completions: number | null;
  parallelism: number;
  suspended: boolean;
  active: Pod[];
  completed: Set<number>;
  totalSucceeded: number;
  totalFailed: number;
  /** Slots taken by pods that are terminating but not yet failed. */
  holding: number;
}

/** Creates or deletes pods so the active count is what the job wants now. */
function manage(plan: JobPlan, input: JobPlanInput, s: ManageState): void {
  const { active } = s;
  let want: number;
  if (s.suspended) want = 0;
  else if (s.indexed) want = Math.min(s.parallelism, (s.completions ?? 0) - s.completed.size);
  else if (s.completions !== null) want = Math.min(s.parallelism, s.completions - s.totalSucceeded);
  // Work-queue mode: once one pod succeeded, no new pods start.
  else want = s.totalSucceeded > 0 ? Math.min(active.length, s.parallelism) : s.parallelism;
  want = Math.max(0, want);

  const extra: Pod[] = [];
  let keep = active;
  if (s.indexed) {
    // Duplicate, completed or out-of-range indexes go.
    const seen = new Set<number>();
    keep = [];
    for (const p of [...active].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))) {
      const idx = podIndex(p);
      if (idx < 0 || idx >= (s.completions ?? 0) || seen.has(idx) || s.completed.has(idx)) extra.push(p);
      else {
        seen.add(idx);
        keep.push(p);
      }
    }
  }
  if (keep.length > want) extra.push(...[...keep].sort(deletionOrder).slice(0, keep.length - want));
  plan.remove = extra;
  // At most this many creates per sync, as upstream; the rest come on the next pass.
  const missing = Math.min(MAX_CREATES_PER_SYNC, want - Math.min(keep.length, want) - s.holding);
  if (missing <= 0) return;

  // Replacements for failed pods wait out the backoff.
  const lastFailure = plan.newFailures > 0 ? input.nowMs : input.lastFailureMs;
  if (s.totalFailed > 0 && lastFailure !== undefined) {
    const delay = (input.backoff ?? defaultJobBackoff)(s.totalFailed);
    const wait = lastFailure + delay - input.nowMs;
    if (wait > 0) {
      plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait);
      return;
    }
  }
  if (s.indexed) {
    const busy = new Set(keep.map(podIndex));
    for (let i = 0; i < (s.completions ?? 0) && plan.create.length < missing; i++) if (!busy.has(i) && !s.completed.has(i)) plan.create.push(i);
  } else {
    for (let i = 0; i < missing; i++) plan.create.push(undefined);
  }
}
