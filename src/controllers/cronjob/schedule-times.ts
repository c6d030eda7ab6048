// Which scheduled time is due now, how many were missed, and when to look
// again: the CronJob's schedule arithmetic, with time passed in.
import { nextActivation, type CronSchedule } from './cron-schedule.js';

/** Upstream warns when more start times than this were missed. */
export const MAX_MISSED_SCHEDULES = 100;

export interface DueSchedule {
  /** The most recent activation at or before now that has not been handled; undefined when none. */
  scheduledMs?: number;
  /** Activations between the last handled one (or the earliest allowed) and now. */
  missed: number;
  tooMany: boolean;
}

/** The latest activation in (fromMs, nowMs], searching backwards from now in widening windows. */
function latestUpTo(s: CronSchedule, tz: string, fromMs: number, nowMs: number): number | undefined {
  for (let window = 60_000; ; window *= 2) {
    const start = Math.max(fromMs, nowMs - window);
    let t = nextActivation(s, start, tz);
    if (t !== undefined && t <= nowMs) {
      for (let n = nextActivation(s, t, tz); n !== undefined && n <= nowMs; n = nextActivation(s, n, tz)) t = n;
      return t;
    }
    if (start === fromMs) return undefined;
  }
}

/**
 * `earliestMs` is lastScheduleTime, else the CronJob's creation time; a
 * startingDeadlineSeconds moves it up to now - deadline.
 */
export function dueSchedule(s: CronSchedule, tz: string, earliestMs: number, nowMs: number, startingDeadlineSeconds?: number): DueSchedule {
  let from = earliestMs;
  if (startingDeadlineSeconds !== undefined && startingDeadlineSeconds !== null) from = Math.max(from, nowMs - startingDeadlineSeconds * 1000);
  let missed = 0;
  let last: number | undefined;
  for (let t = nextActivation(s, from, tz); t !== undefined && t <= nowMs; t = nextActivation(s, t, tz)) {
    missed++;
    last = t;
    if (missed > MAX_MISSED_SCHEDULES) {
      // Too many to walk: jump to the latest one directly.
      return { scheduledMs: latestUpTo(s, tz, t, nowMs) ?? t, missed, tooMany: true };
    }
  }
  return { scheduledMs: last, missed, tooMany: false };
}
