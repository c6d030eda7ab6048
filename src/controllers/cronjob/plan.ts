// The CronJob algorithm as a pure function of the CronJob, its Jobs and the
// time: the active list, whether to start a Job now (and under what name),
// what to delete (Replace, history limits), events, and when to look again.
import type { Condition } from '../../client/types.js';
import type { BatchJob } from '../job/types.js';
import { CronParseError, isValidTimeZone, nextActivation, parseCronSchedule } from './cron-schedule.js';
import { dueSchedule } from './schedule-times.js';
import type { CronJob, CronJobStatus, ObjectReference } from './types.js';

export interface CronEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface CronPlan {
  status: CronJobStatus;
  /** Start a Job for this scheduled time (ms), named `name`. */
  start?: { name: string; scheduledMs: number; timeZone: string };
  /** Active Jobs to delete first (concurrencyPolicy Replace). */
  replace: BatchJob[];
  /** Finished Jobs beyond the history limits. */
  prune: BatchJob[];
  events: CronEvent[];
  requeueAfterMs?: number;
}

const finishedCondition = (j: BatchJob): Condition | undefined => j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
export const isJobFinished = (j: BatchJob): boolean => finishedCondition(j) !== undefined;

/** `<cronjob>-<scheduled time in minutes since the epoch>`. */
export const jobNameFor = (cronJobName: string, scheduledMs: number): string => `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;

const ref = (j: BatchJob): ObjectReference => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion });

function pruneHistory(jobs: BatchJob[], limit: number | undefined, type: 'Complete' | 'Failed'): BatchJob[] {
  if (limit === undefined || limit === null) return [];
  const start = (j: BatchJob) => j.status?.startTime ?? j.metadata.creationTimestamp ?? '';
  const done = jobs.filter((j) => finishedCondition(j)?.type === type).sort((a, b) => start(a).localeCompare(start(b)));
  return done.slice(0, Math.max(0, done.length - limit));
}

export function planCronJob(cj: CronJob, jobs: BatchJob[], nowMs: number): CronPlan {
  const plan: CronPlan = { status: { ...(cj.status ?? {}) }, replace: [], prune: [], events: [] };
  const byUid = new Map(jobs.map((j) => [j.metadata.uid, j]));

  // The active list keeps the child Jobs still running; finished ones leave it.
  const active: ObjectReference[] = [];
  const listed = new Set<string>();
  for (const r of cj.status?.active ?? []) {
    const j = byUid.get(r.uid);
    if (!j) continue;
    listed.add(r.uid ?? '');
    if (isJobFinished(j)) plan.events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${j.metadata.name}, condition: ${finishedCondition(j)!.type}` });
    else active.push(ref(j));
  }
  for (const j of jobs) if (!listed.has(j.metadata.uid ?? '') && !isJobFinished(j)) active.push(ref(j));
  for (const j of jobs) {
    const c = finishedCondition(j);
    if (c?.type !== 'Complete') continue;
    const t = j.status?.completionTime ?? c.lastTransitionTime;
    if (t && (!plan.status.lastSuccessfulTime || Date.parse(t) > Date.parse(plan.status.lastSuccessfulTime))) plan.status.lastSuccessfulTime = t;
  }
  plan.status.active = active.length > 0 ? active : undefined;
  plan.prune = [...pruneHistory(jobs, cj.spec.successfulJobsHistoryLimit, 'Complete'), ...pruneHistory(jobs, cj.spec.failedJobsHistoryLimit, 'Failed')];

  if (cj.metadata.deletionTimestamp || cj.spec.suspend) return plan;

  const timeZone = cj.spec.timeZone ?? 'UTC';
  if (cj.spec.timeZone && !isValidTimeZone(cj.spec.timeZone)) {
    plan.events.push({ type: 'Warning', reason: 'UnknownTimeZone', message: `invalid timeZone: "${cj.spec.timeZone}"` });
    return plan;
  }
  let sched;
  try {
    sched = parseCronSchedule(cj.spec.schedule);
  } catch (err) {
    if (!(err instanceof CronParseError)) throw err;
    plan.events.push({ type: 'Warning', reason: 'UnparseableSchedule', message: `unparseable schedule: "${cj.spec.schedule}" : ${err.message}` });
    return plan;
  }
  const tz = sched.timeZone ?? timeZone;
  const earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? new Date(nowMs).toISOString());
  const due = dueSchedule(sched, tz, earliest, nowMs, cj.spec.startingDeadlineSeconds);
  const next = nextActivation(sched, nowMs, tz);
  // Wake just after the next activation.
  if (next !== undefined) plan.requeueAfterMs = next - nowMs + 100;
  if (due.scheduledMs === undefined) return plan;
  if (due.tooMany)
    plan.events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: `too many missed start times: ${due.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew` });

  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && due.scheduledMs + deadline * 1000 < nowMs) {
    plan.events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${new Date(due.scheduledMs).toISOString()}` });
    return plan;
  }
  const name = jobNameFor(cj.metadata.name ?? '', due.scheduledMs);
  // Already started (the Job exists, running or finished).
  if (jobs.some((j) => j.metadata.name === name)) return plan;

  const policy = cj.spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    plan.events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    // Retry soon: the running Job may finish before the next activation.
    return plan;
  }
  if (policy === 'Replace') plan.replace = jobs.filter((j) => active.some((a) => a.uid === j.metadata.uid));
  plan.start = { name, scheduledMs: due.scheduledMs, timeZone: tz };
  return plan;
}
